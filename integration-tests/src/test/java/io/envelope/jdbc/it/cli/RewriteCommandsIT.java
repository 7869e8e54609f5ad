package io.envelope.jdbc.it.cli;

/**
 * The {@link RewriteCommandScenarios} ({@code migrate}, {@code reencrypt}, {@code verify}, whole and sharded) on
 * PostgreSQL through pgJDBC: a uuid key is sharded by {@code hashtext}.
 */
class RewriteCommandsIT extends RewriteCommandScenarios {

    RewriteCommandsIT() {
        super(new PostgresCliTarget());
    }
}
