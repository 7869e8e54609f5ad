package io.envelope.jdbc.config;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigWarningsTest {

    @Test
    void warnsForAcceptPlaintextAndDeterministicBooleansOnly() throws SQLException {
        EnvelopeConfig config = ConfigLoader.parse("""
                version: 1
                kms: {provider: local, master-key-env: K}
                tables:
                  customers:
                    columns:
                      email: { mode: deterministic }
                      legacy_phone: { mode: deterministic, accept-plaintext: true }
                      active: { mode: deterministic, type: boolean }
                      vip: { type: boolean }
                """, "/x/envelope.yaml", name -> null);
        assertThat(ConfigWarnings.of(config)).satisfiesExactly(
                w -> assertThat(w).startsWith("tables.customers.columns.legacy_phone has accept-plaintext: true")
                        .contains("migrate --table customers").contains("/x/envelope.yaml"),
                w -> assertThat(w).startsWith("tables.customers.columns.active is deterministic with type boolean")
                        .contains("equality reveals"));
        ConfigWarnings.log(config); // logs through SLF4J; a second call logs nothing
        ConfigWarnings.log(config);
    }

    @Test
    void aPlainConfigHasNoWarnings() throws SQLException {
        EnvelopeConfig config = ConfigLoader.parse("version: 1\nkms: {provider: local, master-key-env: K}\n"
                + "tables: {t: {columns: {c: {mode: deterministic}}}}\n", "o", name -> null);
        assertThat(ConfigWarnings.of(config)).isEmpty();
    }
}
