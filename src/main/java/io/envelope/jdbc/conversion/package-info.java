/**
 * The target driver's conversions, done by envelope-jdbc for the values of encrypted columns. The server sees only
 * ciphertext, so what it and pgJDBC would do with a plaintext value — the assignment cast of a parameter to its
 * column's type ({@link io.envelope.jdbc.conversion.AssignmentCasts}), how every getter answers
 * ({@link io.envelope.jdbc.conversion.PlaintextGetters}), how a column or parameter is described
 * ({@link io.envelope.jdbc.conversion.PlaintextDescriptions}), Calendars and the session's time zone
 * ({@link io.envelope.jdbc.conversion.PgJdbcCalendar}, {@link io.envelope.jdbc.conversion.SessionZone}), streams and
 * LOBs read whole ({@link io.envelope.jdbc.conversion.ParameterStreams}) — is done here, so an application reads and
 * writes an encrypted column exactly as it would a plaintext one. No encryption happens in this package.
 */
package io.envelope.jdbc.conversion;
