/**
 * The configuration resolved against one database: table identities as the catalog spells them, identifier case
 * and length rules, each encrypted column's physical storage, partitions and inheritance children
 * ({@link io.envelope.jdbc.schema.CatalogFacts}), and the check of the configuration against the catalog
 * ({@link io.envelope.jdbc.schema.ConfigurationCheck}).
 */
package io.envelope.jdbc.schema;
