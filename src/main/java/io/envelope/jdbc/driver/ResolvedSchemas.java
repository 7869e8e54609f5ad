package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.schema.CatalogFacts;
import io.envelope.jdbc.schema.CatalogFactsReader;
import io.envelope.jdbc.schema.ConfigurationCheck;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The configured tables of one runtime, resolved per <em>opening</em> schema (the schema current when a connection
 * opened fixes the identities of unqualified configured names), with the catalog facts (partitions, inheritance,
 * views) read for them and kept fresh:
 * <ul>
 *   <li>read, and the configuration checked against the database, when the first connection of an opening schema
 *       opens (an error there fails that {@code connect()}; every later connection repeats it until fixed);</li>
 *   <li>read again at the first statement after DDL seen through the wrapper ({@link #invalidate()}), and at the
 *       first statement after {@link #REFRESH} has passed since the last read, on the connection that runs it (one
 *       catalog query, never more than one per interval per opening schema).</li>
 * </ul>
 * A partition created by another process is therefore known within {@link #REFRESH} (README, "Schema changes,
 * partitions and the configuration"). The facts include a fingerprint of the columns of every configured table
 * and partition, so a table changed by another process has its layout read again within {@link #REFRESH} even when
 * no result showed the change. A connection with uncommitted DDL of its own reads them on itself
 * ({@link #readNow}). Each set of facts is one immutable {@link EncryptionSchema}; a new one (which the plan cache
 * treats as a different schema) only when the facts changed.
 */
final class ResolvedSchemas {

    /** The longest the driver goes without re-reading the catalog facts while statements run. */
    static final Duration REFRESH = Duration.ofSeconds(30);
    /** After a failed refresh (e.g. inside an aborted transaction), the next attempt waits this long. */
    private static final Duration RETRY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger("io.envelope.jdbc.config");

    /** The facts and the schemas derived from them for one opening schema, replaced as a whole. */
    private record Snapshot(EncryptionSchema base, Map<String, EncryptionSchema> byCurrentSchema) {
        Snapshot(EncryptionSchema base) {
            this(base, new ConcurrentHashMap<>());
        }

        EncryptionSchema forCurrentSchema(String currentSchema) {
            if (currentSchema.equals(base.currentSchema())) {
                return base;
            }
            return byCurrentSchema.computeIfAbsent(currentSchema, base::withCurrentSchema);
        }
    }

    private static final class Opened {
        volatile Snapshot snapshot;
        /** System.nanoTime() after which the facts are due for a re-read. */
        volatile long dueAt;
        final AtomicBoolean refreshing = new AtomicBoolean();

        Opened(EncryptionSchema base) {
            this.snapshot = new Snapshot(base);
            this.dueAt = System.nanoTime() + REFRESH.toNanos();
        }
    }

    private final EnvelopeConfig config;
    private final Runnable factsChanged;
    private final Map<String, Opened> byOpeningSchema = new ConcurrentHashMap<>();

    /**
     * @param factsChanged called after the facts of any opening schema changed (the runtime drops its layouts and
     *                     plans)
     */
    ResolvedSchemas(EnvelopeConfig config, Runnable factsChanged) {
        this.config = config;
        this.factsChanged = factsChanged;
    }

    /**
     * The schema for a connection opening with {@code openingSchema} current. The first connection of an opening
     * schema reads the catalog facts and checks the configuration against the database.
     *
     * @param target the new connection's target connection
     * @throws SQLException an {@code envelope-jdbc:} configuration error naming every configured column that the
     *                      database lacks or that cannot hold ciphertext
     */
    EncryptionSchema open(String openingSchema, IdentifierCase folding, Connection target) throws SQLException {
        Opened opened = byOpeningSchema.get(openingSchema);
        if (opened != null) {
            return current(openingSchema, openingSchema, target);
        }
        EncryptionSchema tables = new EncryptionSchema(config, openingSchema, folding);
        EncryptionSchema resolved = tables.withFacts(CatalogFactsReader.read(target, tables));
        List<ConfigurationCheck.Problem> problems = ConfigurationCheck.check(target, resolved);
        List<String> errors = problems.stream().filter(ConfigurationCheck.Problem::isError)
                .map(ConfigurationCheck.Problem::message).toList();
        if (!errors.isEmpty()) {
            throw EnvelopeErrors.config("the configuration " + config.origin() + " does not match the database: "
                    + String.join("; ", errors));
        }
        Opened raced = byOpeningSchema.putIfAbsent(openingSchema, new Opened(resolved));
        if (raced == null) {
            for (ConfigurationCheck.Problem warning : problems) {
                LOG.warn("envelope-jdbc: {}", warning.message());
            }
            return resolved;
        }
        return raced.snapshot.base();
    }

    /**
     * The schema a statement on a connection sees: the configured tables of its opening schema, unqualified names
     * resolved against its current schema. Re-reads the catalog facts on {@code target} when they are due (see
     * the class comment); a failed re-read keeps the facts it had and tries again shortly.
     */
    EncryptionSchema current(String openingSchema, String currentSchema, Connection target) {
        Opened opened = opened(openingSchema);
        if (System.nanoTime() - opened.dueAt >= 0) {
            refresh(opened, target);
        }
        return opened.snapshot.forCurrentSchema(currentSchema);
    }

    /**
     * The schema as {@code target} sees the catalog now, read on it whatever the interval and shared with every
     * connection. For a connection that changed a configured table in a transaction it has not committed: only it
     * sees the change (a partition it just attached), and its own statements must be analysed with it, whatever
     * another connection read meanwhile.
     *
     * @throws SQLException the database's error when the catalog cannot be read (inside an aborted transaction,
     *                      the one the statement would have met anyway)
     */
    EncryptionSchema readNow(String openingSchema, String currentSchema, Connection target) throws SQLException {
        Opened opened = opened(openingSchema);
        EncryptionSchema base = opened.snapshot.base();
        CatalogFacts facts = CatalogFactsReader.read(target, base);
        if (facts.equals(base.facts())) {
            return opened.snapshot.forCurrentSchema(currentSchema);
        }
        Snapshot fresh = new Snapshot(base.withFacts(facts));
        opened.snapshot = fresh;
        factsChanged.run();
        return fresh.forCurrentSchema(currentSchema);
    }

    private Opened opened(String openingSchema) {
        Opened opened = byOpeningSchema.get(openingSchema);
        if (opened == null) {
            throw new IllegalStateException("schema " + openingSchema + " was never opened");
        }
        return opened;
    }

    /** The configured table with this identity in any opening schema resolved so far, or null. */
    EncryptedTable tableByIdentity(String identity) {
        for (Opened opened : byOpeningSchema.values()) {
            EncryptedTable table = opened.snapshot.base().tableByIdentity(identity);
            if (table != null) {
                return table;
            }
        }
        return null;
    }

    /** DDL was seen: every opening schema re-reads its facts at its next statement. */
    void invalidate() {
        long now = System.nanoTime();
        for (Opened opened : byOpeningSchema.values()) {
            opened.dueAt = now;
        }
    }

    private void refresh(Opened opened, Connection target) {
        if (!opened.refreshing.compareAndSet(false, true)) {
            return; // another connection is reading them now; this statement uses the facts as they are
        }
        try {
            EncryptionSchema base = opened.snapshot.base();
            CatalogFacts facts = CatalogFactsReader.read(target, base);
            opened.dueAt = System.nanoTime() + REFRESH.toNanos();
            if (!facts.equals(base.facts())) {
                opened.snapshot = new Snapshot(base.withFacts(facts));
                LOG.info("envelope-jdbc: the catalog changed for the configured tables of schema {} (their columns,"
                        + " partitions, children, parents or views); what envelope-jdbc read of them is read again",
                        base.currentSchema());
                factsChanged.run();
            }
        } catch (SQLException | RuntimeException e) {
            opened.dueAt = System.nanoTime() + RETRY.toNanos();
            LOG.debug("envelope-jdbc: could not re-read the catalog facts now ({}); keeping the ones read before",
                    e.getClass().getSimpleName());
        } finally {
            opened.refreshing.set(false);
        }
    }
}
