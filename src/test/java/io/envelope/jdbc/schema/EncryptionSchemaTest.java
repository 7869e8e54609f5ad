package io.envelope.jdbc.schema;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.config.KmsConfig;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.config.TableConfig;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EncryptionSchemaTest {

    private static EnvelopeConfig config(String... tables) {
        Map<String, TableConfig> map = new LinkedHashMap<>();
        for (String table : tables) {
            map.put(table, new TableConfig(table, Map.of("email",
                    new ColumnConfig("email", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT, null, null, 0, false))));
        }
        return new EnvelopeConfig(1, new KmsConfig("local", null, null, null, null, List.of(), null, "K"),
                EnvelopeConfig.DEFAULT_KEY_TABLE, true, EnvelopeConfig.DEFAULT_KEY_CACHE_TTL, 1, map, "test");
    }

    @Test
    void afterSetSchemaTheConfiguredIdentitiesStayAndUnqualifiedNamesMove() {
        EncryptionSchema opened = new EncryptionSchema(config("customers"), "a", IdentifierCase.LOWER);
        EncryptionSchema moved = opened.withCurrentSchema("b");
        assertThat(moved.currentSchema()).isEqualTo("b");
        assertThat(moved.table("a", "customers")).isSameAs(opened.table(null, "customers"));
        assertThat(moved.table("a", "customers").identity()).isEqualTo("a.customers");
        assertThat(moved.table(null, "customers")).isNull(); // b.customers is not configured
        assertThat(moved.withCurrentSchema("a").table(null, "customers")).isSameAs(opened.table("a", "customers"));
    }

    @Test
    void partitionsAndChildrenResolveToTheirConfiguredTable() {
        EncryptionSchema plain = new EncryptionSchema(config("events"), "app", IdentifierCase.LOWER);
        CatalogFacts facts = new CatalogFacts(List.of(),
                Map.of(new Relation("app", "eu_rows"), List.of("app.events"),
                        new Relation("archive", "events_2020"), List.of("app.events")),
                Map.of());
        EncryptionSchema schema = plain.withFacts(facts);
        EncryptedTable events = schema.table(null, "events");
        assertThat(schema.table(null, "eu_rows")).isSameAs(events);
        assertThat(schema.table("archive", "events_2020")).isSameAs(events);
        assertThat(events).isSameAs(plain.table(null, "events")); // the same identity, keys and ciphers
        assertThat(schema.descendantsOf(events)).containsExactlyInAnyOrder(new Relation("app", "eu_rows"),
                new Relation("archive", "events_2020"));
        // the substring scan looks for the shortest names that cover the others; tokens are matched against all
        assertThat(schema.scanNames()).containsExactlyInAnyOrder("events", "eu_rows");
        assertThat(schema.bareTableNames()).containsExactlyInAnyOrder("events", "eu_rows", "events_2020");
    }

    @Test
    void aTableAboveAConfiguredOneIsRefused() {
        EncryptionSchema schema = new EncryptionSchema(config("eu_rows"), "app", IdentifierCase.LOWER)
                .withFacts(new CatalogFacts(List.of(), Map.of(),
                        Map.of(new Relation("app", "events"), List.of("app.eu_rows"))));
        assertThat(schema.table(null, "events")).isNull();
        assertThat(schema.refusal(null, "events")).contains("app.eu_rows").contains("Name the configured table");
        assertThat(schema.bareTableNames()).contains("events");
    }

    @Test
    void twoConfiguredTablesOfOneTreeAreBothRefused() {
        EncryptionSchema schema = new EncryptionSchema(config("events", "eu_rows"), "app", IdentifierCase.LOWER)
                .withFacts(new CatalogFacts(List.of(),
                        Map.of(new Relation("app", "eu_rows"), List.of("app.events")), Map.of()));
        assertThat(schema.refusal(null, "eu_rows")).contains("Configure only the top table");
        assertThat(schema.refusal(null, "events")).contains("Configure only the top table");
    }

    @Test
    void aViewReadingEncryptedColumnsIsRefused() {
        EncryptionSchema schema = new EncryptionSchema(config("customers"), "app", IdentifierCase.LOWER,
                List.of(new EncryptionSchema.EncryptedView("app", "emails", List.of("app.customers.email"))));
        assertThat(schema.refusal(null, "emails")).startsWith("view emails reads encrypted column(s)");
        assertThat(schema.encryptedReadsOfView("app", "emails")).containsExactly("app.customers.email");
    }
}
