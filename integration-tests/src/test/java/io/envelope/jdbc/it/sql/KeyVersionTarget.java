package io.envelope.jdbc.it.sql;

import io.envelope.jdbc.it.EncryptedPlace;

/**
 * The database under {@link KeyVersionScenarios}, with what differs from one database to another: the place and
 * its tables, SQL written with the plain driver, and how a widened lookup shows in the target driver's statement.
 */
public interface KeyVersionTarget {

    /** A fresh place configured with {@code tablesYaml} and {@code extraYaml} (see {@link EncryptedPlace}). */
    EncryptedPlace create(String prefix, String tablesYaml, String extraYaml) throws Exception;

    /** The table identity of {@code t} in {@code place}. */
    String identityOfT(EncryptedPlace place);

    /**
     * DDL for t (id, email, code, n, legacy, legacyb, note) and elsewhere (id, email), every encrypted column binary
     * except code and legacy (text, base64).
     */
    String[] createTables();

    /** Inserts row 10 with plaintext legacy 'plain-l' and legacyb the bytes of 'plain-b', as before encryption. */
    String insertPlaintextLegacyRow();

    /** Flips a bit of the last byte of row 1's stored email. */
    String flipLastByteOfEmailInRow1();

    /** What the target driver's statement text shows when a lookup was widened over several key versions. */
    String widenedLookupMarker();
}
