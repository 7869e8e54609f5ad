package io.envelope.jdbc.it.frameworks.autoconfig;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Starts {@link PlainApplication} with one application.yml, written as an application would have it. */
final class BootApp {

    private BootApp() {
    }

    /** @param applicationYml the whole application.yml; nothing else configures the application */
    static ConfigurableApplicationContext start(String applicationYml, String... arguments) throws IOException {
        Path dir = Files.createTempDirectory("envelope-boot");
        Path yml = dir.resolve("application.yml");
        Files.writeString(yml, applicationYml);
        String[] args = new String[arguments.length + 1];
        args[0] = "--spring.config.location=file:" + yml;
        System.arraycopy(arguments, 0, args, 1, arguments.length);
        return new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE).run(args);
    }
}
