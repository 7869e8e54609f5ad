package io.envelope.jdbc.driver;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaChangesTest {

    @ParameterizedTest
    @ValueSource(strings = {"ALTER TABLE t DROP COLUMN x", "  create table p partition of t for values in (1)",
            "/* migration 12 */ DROP VIEW v", "-- note\nalter table t add column y int",
            "/* a /* nested */ comment */ CREATE INDEX ON t (x)", "DO $$ BEGIN EXECUTE 'ALTER TABLE t'; END $$",
            "call migrate()"})
    void ddlAndServerSideCodeMayChangeTheSchema(String sql) {
        assertThat(SchemaChanges.mayChangeSchema(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"select * from t", "insert into created (x) values (1)", "update t set alter_flag = 1",
            "alternative", "dropped", "", "   ", "/* unterminated", "WITH x AS (SELECT 1) SELECT * FROM x"})
    void otherStatementsDoNot(String sql) {
        assertThat(SchemaChanges.mayChangeSchema(sql)).isFalse();
    }
}
