package io.envelope.jdbc.schema;

/**
 * A table (or view) as the database's catalog spells it: schema and name, already folded.
 *
 * @param schema the schema name
 * @param name   the relation's name
 */
public record Relation(String schema, String name) {

    /** {@code schema.name}: the form identities and lookups use. */
    public String identity() {
        return schema + "." + name;
    }

    @Override
    public String toString() {
        return identity();
    }
}
