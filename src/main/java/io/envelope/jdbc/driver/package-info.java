/**
 * The JDBC wrappers and what they share. The {@code Delegating*} classes are generated from the {@code java.sql}
 * interfaces (tools/GenerateDelegates.java) and forward every call to the target driver; the {@code Envelope*}
 * classes override where a value of an encrypted column crosses. {@link io.envelope.jdbc.driver.EnvelopeRuntime}
 * is what the connections of one configuration and database share; {@code ColumnValues} is the one place values
 * are encrypted and decrypted. What the target driver would do with a plaintext value (casts, getters,
 * descriptions, time zones) is emulated in {@link io.envelope.jdbc.conversion}.
 */
package io.envelope.jdbc.driver;
