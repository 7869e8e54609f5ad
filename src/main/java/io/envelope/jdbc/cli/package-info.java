/**
 * The command-line tool ({@code java -jar envelope-jdbc-<version>-cli.jar}), on picocli: the demo, key management,
 * rewriting the values of a table ({@code migrate}, {@code reencrypt}), {@code verify} and {@code doctor}. The
 * commands use the driver's own packages for keys and values; they never print a plaintext value of a column or
 * key material.
 */
package io.envelope.jdbc.cli;
