package io.envelope.jdbc.schema;

import io.envelope.jdbc.schema.EncryptionSchema.EncryptedView;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the database's catalog says about the configured tables beyond their columns, read by
 * {@link CatalogFactsReader} and kept fresh by the driver: the partitions and inheritance children of each
 * configured table (which <em>are</em> that table: same identity, same keys, same AAD), the tables above a
 * configured table in an inheritance tree, and the views that read encrypted columns.
 *
 * @param views       the views that read encrypted columns of configured tables
 * @param descendants every partition and inheritance child, at any depth, of a configured table, with the
 *                    identities of the configured tables above it (one, unless the configuration lists two
 *                    tables of one inheritance tree)
 * @param ancestors   every table that has a configured table among its partitions or inheritance children (at
 *                    any depth), with the identities of those configured tables
 * @param layouts     a fingerprint of the columns (names and types, in order) of every configured table and
 *                    descendant: when it changes, the driver reads the layouts again
 */
public record CatalogFacts(List<EncryptedView> views, Map<Relation, List<String>> descendants,
                           Map<Relation, List<String>> ancestors, Map<Relation, String> layouts) {

    /** Nothing known beyond the configuration (databases without these catalogs, and unit tests). */
    public static final CatalogFacts NONE = new CatalogFacts(List.of(), Map.of(), Map.of(), Map.of());

    public CatalogFacts(List<EncryptedView> views, Map<Relation, List<String>> descendants,
                        Map<Relation, List<String>> ancestors) {
        this(views, descendants, ancestors, Map.of());
    }

    public CatalogFacts {
        views = List.copyOf(views);
        descendants = Collections.unmodifiableMap(new LinkedHashMap<>(descendants));
        ancestors = Collections.unmodifiableMap(new LinkedHashMap<>(ancestors));
        layouts = Collections.unmodifiableMap(new LinkedHashMap<>(layouts));
    }
}
