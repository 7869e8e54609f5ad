/**
 * Micrometer meters of envelope-jdbc ({@link io.envelope.jdbc.micrometer.EnvelopeMeterBinder}). Micrometer is an
 * optional dependency: this package is used only by applications that have it.
 */
package io.envelope.jdbc.micrometer;
