/**
 * envelope-jdbc's public entry points: the {@code jdbc:envelope:} driver ({@link io.envelope.jdbc.EnvelopeDriver}),
 * the {@link io.envelope.jdbc.EnvelopeDataSource}, the errors the driver raises ({@link
 * io.envelope.jdbc.EnvelopeError} and its exception classes, {@link io.envelope.jdbc.SqlState}), and process-wide
 * metrics and health ({@link io.envelope.jdbc.EnvelopeMetrics}, {@link io.envelope.jdbc.EnvelopeHealth}).
 * Everything in the sub-packages is internal and may change between releases.
 */
package io.envelope.jdbc;
