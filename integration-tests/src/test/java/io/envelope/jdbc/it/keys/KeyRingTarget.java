package io.envelope.jdbc.it.keys;

import io.envelope.jdbc.keys.ConnectionSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The database under {@link KeyRingScenarios}, with what differs from one database to another: where a test's
 * key table lives, how the key table's columns are described, and the SQL that tampers with its rows.
 */
public interface KeyRingTarget {

    /** A new, empty schema (a database on MariaDB), unique in this run; returns its name. */
    String freshSchema(String prefix) throws SQLException;

    /** The connections a key ring (a process) uses for a key table in {@code schema}. */
    ConnectionSource connections(String schema);

    /** A plain connection (no encryption), to look at and change what the database stores. */
    Connection plain() throws SQLException;

    /** How the key table in {@code schema} is named in the key ring whose creation races. */
    String racedKeyTableName(String schema);

    /** How many rounds of that race to run. */
    int keyTableRaces();

    /** The key table's columns in {@code schema}, each as {@code "name type"}, in order. */
    List<String> keyTableColumns(String schema) throws SQLException;

    /** What {@link #keyTableColumns} gives for a key table the ring created. */
    List<String> expectedKeyTableColumns();

    /** An UPDATE that gives {@code to}'s rows the wrapped key of {@code from}'s version 1. */
    String copyWrappedKey(String keyTable, String from, String to);
}
