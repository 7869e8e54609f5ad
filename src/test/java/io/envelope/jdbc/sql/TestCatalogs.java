package io.envelope.jdbc.sql;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.config.KmsConfig;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.config.TableConfig;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Hand-made schemas and catalogs for the analysis tests. */
final class TestCatalogs {

    private TestCatalogs() {
    }

    static ColumnConfig col(String name, EncryptionMode mode, PlaintextType type) {
        return new ColumnConfig(name, mode, type, null, null, 0, false);
    }

    static EnvelopeConfig config(TableConfig... tables) {
        Map<String, TableConfig> map = new LinkedHashMap<>();
        for (TableConfig t : tables) {
            map.put(t.name(), t);
        }
        return new EnvelopeConfig(1, new KmsConfig("local", null, null, null, null, List.of(), null, "K"),
                EnvelopeConfig.DEFAULT_KEY_TABLE, true, EnvelopeConfig.DEFAULT_KEY_CACHE_TTL, 1, map, "test");
    }

    static TableConfig table(String name, ColumnConfig... columns) {
        Map<String, ColumnConfig> map = new LinkedHashMap<>();
        for (ColumnConfig c : columns) {
            map.put(c.name(), c);
        }
        return new TableConfig(name, map);
    }

    /**
     * customers(id, email det, ssn det, note randomized, birth_date randomized date, name) and a quoted
     * "Secrets"(id, "Token" det) in public; billing.invoices(id, iban det, memo) in another schema.
     */
    static EncryptionSchema standardSchema() {
        return standardSchema(IdentifierCase.LOWER);
    }

    /** {@link #standardSchema()} with another identifier rule (MySQL's, for one). */
    static EncryptionSchema standardSchema(IdentifierCase identifiers) {
        return new EncryptionSchema(config(
                table("customers",
                        col("email", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT),
                        col("ssn", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT),
                        col("note", EncryptionMode.RANDOMIZED, PlaintextType.TEXT),
                        col("birth_date", EncryptionMode.RANDOMIZED, PlaintextType.DATE)),
                table("\"Secrets\"", col("\"Token\"", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT)),
                table("billing.invoices", col("iban", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT))),
                "public", identifiers);
    }

    /** A catalog over a map of "schema.table" → columns; counts lookups. */
    static final class MapCatalog implements Catalog {
        private final EncryptionSchema schema;
        private final Map<String, List<String>> tables = new LinkedHashMap<>();
        final AtomicInteger lookups = new AtomicInteger();

        MapCatalog(EncryptionSchema schema) {
            this.schema = schema;
        }

        MapCatalog with(String qualified, String... columns) {
            tables.put(qualified, List.of(columns));
            return this;
        }

        @Override
        public EncryptionSchema schema() {
            return schema;
        }

        @Override
        public List<String> columnNames(String schemaName, String table) {
            lookups.incrementAndGet();
            return tables.getOrDefault((schemaName == null ? schema.currentSchema() : schemaName) + "." + table,
                    List.of());
        }
    }

    static MapCatalog standardCatalog(EncryptionSchema schema) {
        return new MapCatalog(schema)
                .with("public.customers", "id", "email", "ssn", "note", "birth_date", "name")
                .with("public.orders", "id", "customer_id", "total")
                .with("public.Secrets", "id", "Token")
                .with("billing.invoices", "id", "iban", "memo")
                .with("billing.customers", "id", "email")
                .with("public.audit", "id", "email", "note");
    }
}
