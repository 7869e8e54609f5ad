package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A literal for an encrypted column is replaced by its ciphertext written in the target's own syntax: the SQL
 * each dialect is sent for an INSERT with a literal, and that the target reads that text back as the same bytes
 * (lexed by the dialect's lexer; on H2, stored and read by the real database). The candidate source below writes
 * a ciphertext as the driver does (see driver.ColumnValues#literals): bytes through
 * {@link SqlDialect#binaryLiteral}, base64 through {@link SqlDialect#stringLiteral}.
 */
class DialectLiteralRenderTest {

    /** A ciphertext with the bytes a careless literal would break: NUL, backslash, quote, 0xff. */
    private static final byte[] CIPHERTEXT = {0x00, 0x5c, 0x27, (byte) 0xff, 0x22, 0x60};

    private static final String SQL = "INSERT INTO customers (id, email, name) VALUES (1, 'zq-secret', 'it''s')";

    private final SqlAnalyzer analyzer = new SqlAnalyzer(100);

    /** Candidates that write {@link #CIPHERTEXT} for every literal, as bytes or as base64 text. */
    private static StatementPlan.Candidates candidates(SqlDialect dialect, boolean binaryStorage) {
        return new StatementPlan.Candidates() {
            @Override
            public int width(EncryptedColumn column) {
                return 1;
            }

            @Override
            public List<String> literals(EncryptedLiteral literal) {
                return List.of(binaryStorage ? dialect.binaryLiteral(CIPHERTEXT)
                        : dialect.stringLiteral(Base64.getEncoder().withoutPadding().encodeToString(CIPHERTEXT)));
            }
        };
    }

    static Stream<Arguments> dialects() throws SQLException {
        String base64 = "'AFwn/yJg'";
        return Stream.of(
                Arguments.of(SqlDialect.POSTGRESQL, true, "'\\x005c27ff2260'::bytea"),
                Arguments.of(SqlDialect.POSTGRESQL, false, base64),
                Arguments.of(SqlDialect.H2, true, "X'005c27ff2260'"),
                Arguments.of(SqlDialect.H2, false, base64),
                Arguments.of(SqlDialect.mysql("MariaDB", "STRICT_TRANS_TABLES", 0), true, "X'005c27ff2260'"),
                Arguments.of(SqlDialect.mysql("MariaDB", "STRICT_TRANS_TABLES", 0), false, base64),
                Arguments.of(SqlDialect.mysql("MySQL", "ANSI_QUOTES,NO_BACKSLASH_ESCAPES", 0), true, "X'005c27ff2260'"),
                Arguments.of(SqlDialect.mysql("MySQL", "ANSI_QUOTES,NO_BACKSLASH_ESCAPES", 0), false, base64));
    }

    @ParameterizedTest(name = "{0} binary={1}")
    @MethodSource("dialects")
    void anInsertedLiteralIsWrittenInTheTargetsSyntax(SqlDialect dialect, boolean binary, String literal)
            throws SQLException {
        EncryptionSchema schema = TestCatalogs.standardSchema(dialect.isMySqlFamily() ? IdentifierCase.MYSQL
                : IdentifierCase.LOWER);
        StatementPlan plan = analyzer.plan(SQL, TestCatalogs.standardCatalog(schema), dialect);
        assertThat(plan.literals()).hasSize(1);
        String sent = plan.render(candidates(dialect, binary)).sql();
        assertThat(sent).isEqualTo("INSERT INTO customers (id, email, name) VALUES (1, " + literal + ", 'it''s')")
                .doesNotContain("zq-secret");

        // The dialect's own lexer reads the ciphertext as one constant where the literal was: nothing leaks into
        // the statement around it, and the statement is still one statement.
        LexedSql lexed = dialect.lexer().lex(sent);
        assertThat(lexed.firstError()).isNull();
        assertThat(lexed.statementCount()).isEqualTo(1);
        int at = sent.indexOf(literal);
        Token constant = lexed.tokens().stream().filter(t -> t.start() == at).findFirst().orElseThrow();
        if (binary && dialect != SqlDialect.POSTGRESQL) {
            assertThat(constant.kind()).isEqualTo(TokenKind.HEX_STRING);
            assertThat(constant.end()).isEqualTo(at + literal.length());
        } else {
            assertThat(constant.kind()).isEqualTo(TokenKind.STRING);
            // PostgreSQL's '\x…' is a standard string (the backslash is literal) cast to bytea.
            assertThat(dialect.lexer().standardStringValue(lexed, constant)).isEqualTo(binary
                    ? "\\x005c27ff2260" : "AFwn/yJg");
        }
    }

    @Test
    void h2StoresTheCiphertextBytesItIsSent() throws SQLException {
        // The H2 failure: '\x…'::bytea became the bytes of the text on H2. Its own X'…' is the bytes.
        EncryptionSchema schema = TestCatalogs.standardSchema();
        StatementPlan plan = analyzer.plan(SQL, TestCatalogs.standardCatalog(schema), SqlDialect.H2);
        String sent = plan.render(candidates(SqlDialect.H2, true)).sql();
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:render_literal;DB_CLOSE_DELAY=-1");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, email VARBINARY(100), name VARCHAR(10))");
            assertThat(s.executeUpdate(sent)).isEqualTo(1);
            try (ResultSet rs = s.executeQuery("SELECT email, name FROM customers WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).isEqualTo(CIPHERTEXT);
                assertThat(rs.getString(2)).isEqualTo("it's");
            }
            s.execute("DROP TABLE customers");
        }
    }
}
