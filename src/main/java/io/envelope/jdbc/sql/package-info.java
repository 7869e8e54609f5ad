/**
 * SQL analysis: from SQL text to a {@link io.envelope.jdbc.sql.StatementPlan} (which {@code ?} parameters to
 * encrypt, which result columns to decrypt), or a refusal before anything is sent (see README, What SQL does).
 *
 * <p>Flow: {@link io.envelope.jdbc.sql.SqlAnalyzer} asks the {@code PlanCache} (key: schema instance + SQL),
 * then the {@code TableNameScanner} gate (no configured name, no {@code U&"} → pass-through, no lexing), then the
 * dialect's lexer ({@link io.envelope.jdbc.sql.lexer}, chosen per connection by {@link io.envelope.jdbc.sql.SqlDialect}):
 * no identifier naming a configured table → pass-through; unlexable or ambiguous text, or several statements →
 * refused; DDL → {@code DdlRules}, from the tokens alone. Then JSqlParser, whose token chain must agree with the
 * lexer's ({@code ParserAgreement}), then {@code StatementAnalysis}: per statement kind, {@code FromScope}
 * resolves names, {@code ExpressionRules} and {@code SelectList} apply the clause rules; a reflective
 * {@code AstWalker} safety net refuses any encrypted column left unexamined, and the lexer's placeholders
 * cross-check the parameter numbering.
 *
 * <p>Supported on encrypted columns: INSERT (column list, or catalog order sent with the column list written out;
 * multi-row VALUES; INSERT ... SELECT with constants encrypted in place; ON CONFLICT DO NOTHING / DO UPDATE SET
 * c = ? | EXCLUDED.c | NULL; RETURNING), UPDATE SET c = ? | NULL | c, DELETE; WHERE / JOIN ON / HAVING
 * {@code c = ?}, {@code c <> ?}, {@code c IN (?, ...)}, {@code NOT IN}, {@code IS [NOT] DISTINCT FROM ?} on
 * deterministic columns, {@code IS [NOT] NULL} on any, {@code a.c = b.c} for the same column; select lists with
 * plain column references, {@code *} and {@code t.*} (expanded through the catalog); COUNT(c); GROUP BY / DISTINCT
 * on deterministic columns. Subqueries, CTEs, set operations and derived tables are analysed level by level, each
 * result column followed to the column it comes from. DDL that carries no value passes; DDL that could carry one
 * into an encrypted column, or renames one, is refused. Everything else that touches an encrypted column is
 * refused, with a message that says what to do instead (the README's "What SQL does" is the user's list).
 */
package io.envelope.jdbc.sql;
