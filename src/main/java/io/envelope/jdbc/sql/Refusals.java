package io.envelope.jdbc.sql;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.schema.EncryptedColumn;

import java.sql.SQLException;

/**
 * Every refusal text of SQL analysis, in one place. Each names the table and column and the operation, says why
 * it cannot work on ciphertext and what to do instead. None quotes SQL text or a literal value: a refused
 * statement may carry plaintext (see docs/design.md, Errors).
 */
final class Refusals {

    private Refusals() {
    }

    static SQLException unparsable(String tables, int line, int column) {
        String where = line > 0 ? " (parser stopped at line " + line + ", column " + column + ")" : "";
        return EnvelopeErrors.refused(RefusalReason.UNPARSABLE, "a statement that names configured table " + tables
                + " could not be analysed" + where + ", so it is refused rather than sent unencrypted. "
                + "Rewrite it in plain SQL the analyser understands (one statement, no vendor-specific syntax).");
    }

    static SQLException multipleStatements(String tables) {
        return EnvelopeErrors.refused(RefusalReason.MULTIPLE_STATEMENTS,
                "SQL text with several statements that names configured table " + tables
                + " is refused: envelope-jdbc analyses one statement at a time. "
                + "Send each statement separately (or as a batch).");
    }

    static SQLException orderBy(EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.ORDER_BY, "ORDER BY on encrypted column " + c.qualifiedName()
                + " is refused: ciphertext order is meaningless. "
                + "Sort in the application, or store a separate sortable column.");
    }

    static SQLException range(EncryptedColumn c, String op) {
        return EnvelopeErrors.refused(RefusalReason.RANGE_COMPARISON,
                "comparison " + op + " on encrypted column " + c.qualifiedName()
                + " is refused: ciphertext cannot be compared by order. "
                + "Filter in the application, or store a separate comparable column.");
    }

    static SQLException pattern(EncryptedColumn c, String op) {
        return EnvelopeErrors.refused(RefusalReason.PATTERN_MATCH, op + " on encrypted column " + c.qualifiedName()
                + " is refused: patterns cannot see inside ciphertext. "
                + "Look up exact values with = ? on a deterministic column, or filter in the application.");
    }

    static SQLException randomizedComparison(EncryptedColumn c, String op) {
        return EnvelopeErrors.refused(RefusalReason.RANDOMIZED_COMPARISON,
                op + " on encrypted column " + c.qualifiedName()
                + " is refused: the column is randomized, so equal values have different ciphertexts. "
                + "Declare it mode: deterministic if equality lookups are needed (equal values then become "
                + "visible as equal), or filter in the application.");
    }

    static SQLException randomizedGrouping(EncryptedColumn c, String op) {
        return EnvelopeErrors.refused(RefusalReason.RANDOMIZED_GROUPING,
                op + " on encrypted column " + c.qualifiedName()
                + " is refused: the column is randomized, so equal values have different ciphertexts and "
                + "would not group together. Declare it mode: deterministic, or group in the application.");
    }

    static SQLException expression(EncryptedColumn c, String what, String clause) {
        return EnvelopeErrors.refused(RefusalReason.EXPRESSION,
                what + " over encrypted column " + c.qualifiedName() + " in " + clause
                + " is refused: the database holds only ciphertext for it. "
                + "Select or compare the column itself and compute in the application.");
    }

    static SQLException literal(EncryptedColumn c, String operation) {
        return EnvelopeErrors.refused(RefusalReason.LITERAL,
                "a literal value in " + operation + " for encrypted column "
                + c.qualifiedName() + " is refused: literals in SQL text are not encrypted. "
                + "Bind the value as a ? parameter of a PreparedStatement.");
    }

    static SQLException notParameter(EncryptedColumn c, String operation) {
        return EnvelopeErrors.refused(RefusalReason.NOT_A_PARAMETER,
                operation + " on encrypted column " + c.qualifiedName()
                + " is refused: the value must be a bare ? parameter (or NULL) so that the driver can encrypt "
                + "it before it is sent. Bind the value as a parameter, without casts or functions around it.");
    }

    static SQLException twoColumns(EncryptedColumn a, EncryptedColumn b) {
        return EnvelopeErrors.refused(RefusalReason.DIFFERENT_COLUMNS,
                "comparing encrypted column " + a.qualifiedName()
                + " with encrypted column " + b.qualifiedName()
                + " is refused: each column is encrypted under its own key, so equal values never compare "
                + "equal. Compare the values in the application.");
    }

    static SQLException plaintextColumn(EncryptedColumn c, String other) {
        return EnvelopeErrors.refused(RefusalReason.DIFFERENT_COLUMNS,
                "comparing encrypted column " + c.qualifiedName()
                + " with unencrypted column " + other + " is refused: ciphertext never equals plaintext. "
                + "Encrypt both columns (one column cannot match another), or compare in the application.");
    }

    static SQLException ambiguous(String column, String tables, EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.UNRESOLVED_COLUMN,
                "column reference " + column + " is ambiguous between " + tables
                + " and is encrypted as " + c.qualifiedName()
                + ", so it is refused. Qualify the column with its table name or alias.");
    }

    static SQLException unresolvable(String column, EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.UNRESOLVED_COLUMN,
                "column reference " + column + " inside a subquery may name encrypted "
                + "column " + c.qualifiedName() + " of the outer query, and cannot be resolved safely, so it is "
                + "refused. Qualify the column with its table name or alias.");
    }

    static SQLException wholeRow(String table, EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.WHOLE_ROW, "a whole-row reference to configured table " + table
                + " is refused: the row holds encrypted columns such as " + c.qualifiedName()
                + ", which would be used or returned undecrypted. Name the columns explicitly.");
    }

    static SQLException correlated(EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.NOT_SUPPORTED,
                "a subquery that refers to encrypted column " + c.qualifiedName()
                + " of the outer query is refused: subqueries over encrypted columns are not analysed yet. "
                + "Use a join, or run two statements.");
    }

    static SQLException notYet(String construct, String table) {
        return EnvelopeErrors.refused(RefusalReason.NOT_SUPPORTED,
                construct + " that involves configured table " + table
                + " is refused: envelope-jdbc does not analyse it yet and will not send what it cannot check. "
                + "Rewrite it as a plain SELECT/INSERT/UPDATE/DELETE on the table, or combine results in "
                + "the application.");
    }

    static SQLException notYet(String construct, EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.NOT_SUPPORTED,
                construct + " on encrypted column " + c.qualifiedName()
                + " is refused: envelope-jdbc does not analyse it yet and will not send what it cannot check. "
                + "Rewrite the statement with ? parameters in plain INSERT/UPDATE/SELECT form.");
    }

    static SQLException store(EncryptedColumn c, String operation) {
        return EnvelopeErrors.refused(RefusalReason.NOT_A_PARAMETER,
                operation + " of encrypted column " + c.qualifiedName()
                + " from an expression is refused: only a ? parameter (or NULL) can be encrypted by the driver. "
                + "Compute the value in the application and bind it as a parameter.");
    }

    static SQLException unexamined(EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.NOT_SUPPORTED, "encrypted column " + c.qualifiedName()
                + " is used where envelope-jdbc cannot check it, so the statement is refused. "
                + "Use the column only in select lists, in = ? / IN (?, ...) / IS NULL conditions, and as "
                + "INSERT or UPDATE SET targets of ? parameters.");
    }

    static SQLException parameterNumbering(EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.PARAMETER_STYLE,
                "the parameters of a statement on encrypted column "
                + (c == null ? "(unknown)" : c.qualifiedName())
                + " could not be numbered: only positional ? parameters are supported. "
                + "Use ? placeholders (not :name, $1 or ?1).");
    }

    static SQLException parameterNumbering(String table) {
        return EnvelopeErrors.refused(RefusalReason.PARAMETER_STYLE,
                "the parameters of a statement on configured table " + table
                + " could not be numbered: only positional ? parameters are supported. "
                + "Use ? placeholders (not :name, $1 or ?1).");
    }

    static SQLException starUnknown(String table) {
        return EnvelopeErrors.refused(RefusalReason.UNRESOLVED_COLUMN, "* over configured table " + table
                + " cannot be expanded: the database catalog reports no columns for it (or its columns follow a "
                + "derived table of unknown width), so encrypted result columns cannot be located. "
                + "List the columns explicitly.");
    }

    static SQLException statementKind(String kind, String table) {
        return EnvelopeErrors.refused(RefusalReason.NOT_SUPPORTED, kind + " statements on configured table " + table
                + " are refused: envelope-jdbc only analyses SELECT, INSERT, UPDATE, DELETE and DDL. "
                + "Run it on the target connection (unwrap()) if it involves no encrypted value.");
    }

    static SQLException ddlLiteral(EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.LITERAL,
                "DDL with a literal value (DEFAULT or CHECK) for encrypted column "
                + c.qualifiedName() + " is refused: the literal would be stored as plaintext. "
                + "Remove the default or constraint; set values from the application.");
    }

    static SQLException insertColumns(String table) {
        return EnvelopeErrors.refused(RefusalReason.UNRESOLVED_COLUMN, "INSERT into configured table " + table
                + " without a column list is refused: the catalog reports no columns for it (or the VALUES rows "
                + "do not match them), so encrypted positions cannot be located. List the columns explicitly.");
    }

    static SQLException notWidenable(EncryptedColumn c, int candidates) {
        return EnvelopeErrors.refused(RefusalReason.KEY_VERSIONS, "a lookup on encrypted column " + c.qualifiedName()
                + " has " + candidates + " candidate ciphertexts (several key versions, or accept-plaintext), but "
                + "its value sits where the driver cannot widen it to all of them (? = column, IS [NOT] DISTINCT "
                + "FROM, a parenthesised value), so it is refused rather than miss rows. "
                + "Write it as column = ?, column <> ? or column IN (?, ...).");
    }

    static SQLException keyVersionsChanged(EncryptedColumn c, int prepared, int now) {
        return EnvelopeErrors.refused(RefusalReason.KEY_VERSIONS, "a lookup on encrypted column " + c.qualifiedName()
                + " now has " + now + " candidate ciphertexts (a key version was added), but the statement was "
                + "prepared for " + prepared + ", so it is refused rather than miss rows. "
                + "Prepare the statement again.");
    }

    static SQLException literalKind(EncryptedColumn c, String operation) {
        return EnvelopeErrors.refused(RefusalReason.LITERAL, "a value in " + operation + " for encrypted column "
                + c.qualifiedName() + " is refused: only plain literals ('text', numbers, 'text'::type) can be "
                + "encrypted in place, not expressions, escapes (E'...') or dollar quoting. "
                + "Bind the value as a ? parameter of a PreparedStatement.");
    }

    static SQLException copy(String from, String into) {
        return EnvelopeErrors.refused(RefusalReason.DIFFERENT_COLUMNS,
                "INSERT ... SELECT of " + from + " into " + into
                + " is refused: a ciphertext is bound to its own table and column, and only the driver can encrypt "
                + "a value. INSERT ... SELECT may only copy an encrypted column into the same table's same column; "
                + "copy other values through the application (read, then insert with ? parameters).");
    }

    static SQLException copyColumn(EncryptedColumn from, EncryptedColumn into, String operation) {
        return EnvelopeErrors.refused(RefusalReason.DIFFERENT_COLUMNS,
                operation + " copying encrypted column " + from.qualifiedName()
                + " into encrypted column " + into.qualifiedName()
                + " is refused: a ciphertext is bound to its own table and column (its own key), so it would not "
                + "decrypt in the other column. Copy the value through the application (read it, then write it "
                + "with a ? parameter).");
    }

    static SQLException subqueryValue(EncryptedColumn c, String operation) {
        return EnvelopeErrors.refused(RefusalReason.DIFFERENT_COLUMNS,
                operation + " on encrypted column " + c.qualifiedName()
                + " with a subquery whose result is not that same encrypted column is refused: ciphertext never "
                + "equals plaintext or another column's ciphertext. Compare with ? parameters, or with a subquery "
                + "selecting the same column of the same table.");
    }

    static SQLException setOperation(String op, int position, EncryptedColumn c, String other) {
        return EnvelopeErrors.refused(RefusalReason.DIFFERENT_COLUMNS,
                op + " combining encrypted column " + c.qualifiedName() + " with "
                + other + " at result position " + position
                + " is refused: one result column must hold one column's ciphertexts (one key) in every branch, "
                + "or it could not be decrypted. Select the same column in every branch, or combine the results "
                + "in the application.");
    }

    static SQLException aliasColumns(String alias) {
        return EnvelopeErrors.refused(RefusalReason.UNRESOLVED_COLUMN, "the column alias list of " + alias
                + " names more columns than its query returns, so encrypted result columns cannot be located; "
                + "the statement is refused.");
    }

    static SQLException recursiveCte(String table) {
        return EnvelopeErrors.refused(RefusalReason.NOT_SUPPORTED,
                "a recursive CTE (WITH RECURSIVE) that involves configured table " + table
                + " is refused: envelope-jdbc does not analyse recursive queries and will not send what it cannot "
                + "check. Rewrite it without recursion, or run it on tables without encrypted columns.");
    }

    static SQLException lexical(String tables, String what) {
        return EnvelopeErrors.refused(RefusalReason.LEXICAL,
                "a statement that names configured table " + tables + " is refused: "
                + what + ". Check the statement's quotes and comments; nothing was sent.");
    }

    static SQLException ambiguous(String tables, String why) {
        return EnvelopeErrors.refused(RefusalReason.LEXICAL,
                "a statement that names configured table " + tables + " is refused: "
                + why + ", so it could be checked one way and executed another. Write strings as '...' (or bind "
                + "them as ? parameters) and keep comments, dollar quotes and identifiers plain ASCII.");
    }

    static SQLException parserDisagrees(String tables, String why) {
        return EnvelopeErrors.refused(RefusalReason.LEXICAL,
                "a statement that names configured table " + tables + " is refused: "
                + why + ", so it could be checked as one statement and executed as another. Write strings as "
                + "standard '...' literals (or bind them as ? parameters) instead of E'...', U&'...', dollar "
                + "quotes or MySQL's \"...\" strings, avoid nested comments, and name columns and tables plainly "
                + "(no U&\"...\").");
    }

    static SQLException dynamicSql(String tables) {
        return EnvelopeErrors.refused(RefusalReason.NOT_SUPPORTED, "dynamic SQL (PREPARE … FROM, EXECUTE "
                + "IMMEDIATE) whose text names configured table " + tables + " is refused: the statement it "
                + "prepares is in a string, which envelope-jdbc does not analyse. Prepare it with JDBC's "
                + "prepareStatement instead.");
    }

    static SQLException renameTable(String table, String operation) {
        return EnvelopeErrors.refused(RefusalReason.RENAME,
                operation + " on configured table " + table + " is refused: the "
                + "table's name is bound into its data key and into every stored value, so under another name "
                + "nothing would decrypt and new writes would go unencrypted. To rename it, create the new "
                + "table, add it to envelope.yaml, copy the rows through envelope-jdbc (read, then insert with "
                + "? parameters), check them with the CLI's verify command, then drop the old table.");
    }

    static SQLException renameColumn(EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.RENAME,
                "renaming encrypted column " + c.qualifiedName() + " is refused: the "
                + "column's name is bound into every stored value, so under another name nothing would decrypt "
                + "and new writes would go unencrypted. To rename it, add the new column to the table and to "
                + "envelope.yaml, copy the values through envelope-jdbc (read, then update with ? parameters), "
                + "check them with the CLI's verify command, then drop the old column.");
    }

    static SQLException ddlValue(EncryptedColumn c, String clause) {
        return EnvelopeErrors.refused(RefusalReason.DDL_VALUE,
                clause + " on encrypted column " + c.qualifiedName() + " in DDL is "
                + "refused: a value written into the table definition (a default, a check, a generated or USING "
                + "expression, an index predicate) would sit in the database as plaintext, or rewrite the stored "
                + "ciphertexts. Leave the clause out for this column and set its values from the application.");
    }

    static SQLException ddlParameter(String table) {
        return EnvelopeErrors.refused(RefusalReason.DDL_VALUE,
                "DDL on configured table " + table + " with a ? parameter is refused: "
                + "DDL takes no parameters, and the bound value would reach the database unencrypted. Write DDL "
                + "without values for encrypted columns; set values with INSERT or UPDATE statements.");
    }

    static SQLException createTableAs(String table) {
        return EnvelopeErrors.refused(RefusalReason.DDL_VALUE,
                "CREATE TABLE ... AS for configured table " + table + " is refused: "
                + "the query's values would be stored unencrypted. Create the table first, then fill it with "
                + "INSERT statements through envelope-jdbc.");
    }

    static SQLException constantPerRow(EncryptedColumn c) {
        return EnvelopeErrors.refused(RefusalReason.LITERAL,
                "a constant for randomized column " + c.qualifiedName() + " in INSERT "
                + "... SELECT ... FROM is refused: it is encrypted once, so every row the SELECT yields would store "
                + "the same ciphertext and show which rows are equal. Insert such rows with VALUES (one value per "
                + "row), or declare the column mode: deterministic.");
    }

    static SQLException selectInto(String table) {
        return EnvelopeErrors.refused(RefusalReason.DDL_VALUE,
                "SELECT ... INTO configured table " + table + " is refused: it creates "
                + "the table from the query's values, unencrypted. Create the table first, then fill it with "
                + "INSERT statements through envelope-jdbc.");
    }

    static SQLException rowAlias(String tables) {
        return EnvelopeErrors.refused(RefusalReason.UNPARSABLE,
                "INSERT ... AS alias ... ON DUPLICATE KEY UPDATE (MySQL 8's row alias) on configured table " + tables
                + " is refused: the SQL parser envelope-jdbc uses (JSqlParser 5.3) cannot read row aliases, and "
                + "envelope-jdbc models only the plain form (AS name or AS name (column, ...), no comment inside, "
                + "right before ON DUPLICATE KEY UPDATE); a statement that cannot be analysed is not sent. Write "
                + "the alias that way, or the assignments as c = VALUES(c), which MySQL and MariaDB both accept.");
    }
}
