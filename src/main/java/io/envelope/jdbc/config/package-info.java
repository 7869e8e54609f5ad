/**
 * The configuration: where it is found ({@link io.envelope.jdbc.config.ConfigSource}), and the YAML file (or Spring
 * Boot's property tree) read strictly into an immutable {@link io.envelope.jdbc.config.EnvelopeConfig}, with every
 * mistake reported by key path and line (docs/configuration.md lists every key).
 */
package io.envelope.jdbc.config;
