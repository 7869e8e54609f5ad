package io.envelope.jdbc.cli;

import picocli.CommandLine;

/**
 * {@code --shard i/n}: worker {@code i} of {@code n} (i counted from 0, as a Kubernetes indexed Job's
 * JOB_COMPLETION_INDEX is). Every worker of one run must be given the same n; together they cover the table once.
 * How rows are split is {@link TableRewriter}'s: fixed stripes of the primary key's first column when it is an
 * integer, else a hash of it.
 */
record Shard(int index, int count) {

    /** The whole table: one worker. */
    static final Shard ALL = new Shard(0, 1);

    Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("--shard " + index + "/" + count + ": n must be at least 1 and i run"
                    + " from 0 to n-1");
        }
    }

    boolean isAll() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /** Parses {@code i/n} for picocli. */
    static final class Converter implements CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            int slash = value.indexOf('/');
            if (slash < 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not i/n (worker i of n, i from 0"
                        + " to n-1), e.g. 0/4");
            }
            try {
                return new Shard(Integer.parseInt(value.substring(0, slash).trim()),
                        Integer.parseInt(value.substring(slash + 1).trim()));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not i/n with whole numbers, e.g."
                        + " 0/4");
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
