package io.envelope.jdbc.sql;

import io.envelope.jdbc.EnvelopeException;
import io.envelope.jdbc.sql.lexer.H2Lexer;
import io.envelope.jdbc.sql.lexer.PostgresLexer;
import io.envelope.jdbc.sql.lexer.SqlLexer;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * The SQL dialect of a target database, decided once per connection from the database's own product name:
 * how its text is lexed and how a ciphertext is written as a literal (how its identifiers fold is
 * {@link io.envelope.jdbc.schema.IdentifierCase}, read from the same metadata). Only databases
 * whose SQL the analysis models are accepted; any other target is refused when the connection opens, because
 * its quoting and comment rules (MySQL's backticks, {@code #} and {@code /*!} comments, backslash escapes) would
 * let plaintext past an analysis that does not know them. A MySQL/MariaDB dialect is one more constant here
 * and one more {@link SqlLexer}.
 */
public enum SqlDialect {

    POSTGRESQL("PostgreSQL", PostgresLexer.INSTANCE) {
        @Override
        public String binaryLiteral(byte[] bytes) {
            // Assumes standard_conforming_strings = on (PostgreSQL's default since 9.1): the backslash is literal.
            return "'\\x" + HexFormat.of().formatHex(bytes) + "'::bytea";
        }
    },

    /** H2 (2.x), for the demo and tests. */
    H2("H2", H2Lexer.INSTANCE) {
        @Override
        public String binaryLiteral(byte[] bytes) {
            return "X'" + HexFormat.of().formatHex(bytes) + "'";
        }
    };

    private final String productName;
    private final SqlLexer lexer;
    SqlDialect(String productName, SqlLexer lexer) {
        this.productName = productName;
        this.lexer = lexer;
    }

    /**
     * The dialect of the database behind {@code metaData}, by its product name (not its URL: a URL names a
     * driver, which may front another database).
     *
     * @throws SQLException an {@code envelope-jdbc:} error naming the supported databases, for any other
     */
    public static SqlDialect of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        for (SqlDialect d : values()) {
            if (d.productName.equalsIgnoreCase(product == null ? "" : product.trim())) {
                return d;
            }
        }
        throw EnvelopeException.config("the target database is " + (product == null ? "unknown" : product)
                + ", whose SQL envelope-jdbc does not analyse: it supports PostgreSQL (and H2, for demos and "
                + "tests). Connect to one of those; other databases' quoting and comment rules could let "
                + "plaintext past the analysis, so the connection is refused.");
    }

    /** The database product name this dialect is chosen for. */
    public String productName() {
        return productName;
    }

    public SqlLexer lexer() {
        return lexer;
    }

    /** The SQL literal of a ciphertext stored in a binary column. */
    public abstract String binaryLiteral(byte[] bytes);

    /** The SQL literal of a ciphertext stored (as base64) in a character column. */
    public String stringLiteral(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
