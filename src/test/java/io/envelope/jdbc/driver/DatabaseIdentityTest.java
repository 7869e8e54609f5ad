package io.envelope.jdbc.driver;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseIdentityTest {

    private static DatabaseIdentity of(String url, String... properties) {
        Properties p = new Properties();
        for (int i = 0; i < properties.length; i += 2) {
            p.setProperty(properties[i], properties[i + 1]);
        }
        return DatabaseIdentity.of(url, p);
    }

    @Test
    void postgresqlUrlsThatDifferOnlyInOptionsAreOneDatabase() {
        DatabaseIdentity a = of("jdbc:postgresql://db:5432/app?user=svc&ApplicationName=one");
        assertThat(of("jdbc:postgresql://DB/app?ApplicationName=two&user=svc&ssl=false&password=secret"))
                .isEqualTo(a);
        assertThat(of("jdbc:postgresql://db/app?ApplicationName=three", "user", "svc")).isEqualTo(a);
    }

    @Test
    void anotherDatabaseServerOrUserIsAnotherDatabase() {
        DatabaseIdentity a = of("jdbc:postgresql://db/app?user=svc");
        assertThat(of("jdbc:postgresql://db/other?user=svc")).isNotEqualTo(a);
        assertThat(of("jdbc:postgresql://db:5433/app?user=svc")).isNotEqualTo(a);
        assertThat(of("jdbc:postgresql://db2/app?user=svc")).isNotEqualTo(a);
        assertThat(of("jdbc:postgresql://db/app?user=admin")).isNotEqualTo(a);
        // a URL parameter wins over a connection property, as in pgJDBC
        assertThat(of("jdbc:postgresql://db/app?user=admin", "user", "svc")).isNotEqualTo(a);
    }

    @Test
    void noPasswordIsKept() {
        assertThat(of("jdbc:postgresql://db/app?user=svc&password=hunter2").toString()).doesNotContain("hunter2");
        assertThat(of("jdbc:h2:mem:x;PASSWORD=hunter2").toString()).doesNotContain("hunter2");
    }

    @Test
    void otherDatabasesAreIdentifiedByTheirWholeUrl() {
        assertThat(of("jdbc:h2:mem:a")).isNotEqualTo(of("jdbc:h2:mem:b"));
        assertThat(of("jdbc:h2:mem:a")).isEqualTo(of("jdbc:h2:mem:a"));
    }
}
