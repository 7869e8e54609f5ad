package io.envelope.jdbc.cli;

import picocli.CommandLine.Option;

/** {@code --shard i/n} and the stripe width of integer keys: the options that split a table across workers. */
final class ShardOptions {

    @Option(names = "--shard", paramLabel = "i/n", converter = Shard.Converter.class,
            description = "Handle only worker i's slice of n (i from 0 to n-1, as JOB_COMPLETION_INDEX): n workers"
                    + " with the same n, on any machines, together cover the table exactly once; each can be run"
                    + " again on its own. Default: the whole table.")
    Shard shard;

    @Option(names = "--stripe-width", paramLabel = "VALUES", defaultValue = "1000",
            description = "With --shard on an integer primary key: how many consecutive key values make one stripe"
                    + " (stripes are dealt to workers in turn). Every worker of a run must use the same width;"
                    + " raise it for sparse keys (default 1000).")
    long stripeWidth;

    /** The slice to handle: the whole table when --shard is not given. */
    Shard slice() {
        return shard == null ? Shard.ALL : shard;
    }

    /** Whether this run is one of a sharded run's workers ({@code --shard 0/1} is one too, of one). */
    boolean isWorker() {
        return shard != null;
    }
}
