package io.envelope.example;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * DEMO ONLY: makes the local master key file the configuration names ({@code envelope.kms.master-key-file}) when it
 * does not exist yet, so the example runs with one command. A real application never generates its master key: it
 * uses {@code kms.provider: aws-kms}, or a key file or variable provisioned by whoever runs it. Nothing happens when
 * the file exists or the provider is not {@code local}. No key is ever committed: the file is ignored by git.
 *
 * <p>A bean factory post-processor, so it runs when the configuration is complete and before any bean (the
 * DataSource) is made.
 */
@Component
public class DemoMasterKey implements BeanFactoryPostProcessor, EnvironmentAware {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMasterKey.class);

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        String file = environment.getProperty("envelope.kms.master-key-file");
        if (!"local".equals(environment.getProperty("envelope.kms.provider")) || file == null || file.isBlank()) {
            return;
        }
        Path path = Path.of(file).toAbsolutePath();
        if (Files.exists(path)) {
            return;
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.createDirectories(path.getParent());
            Files.createFile(path);
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file keeps the directory's permissions
            }
            Files.writeString(path, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException raced) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo master key " + path, e);
        }
        LOG.warn("DEMO ONLY: generated a new local master key in {}. Values encrypted under it are unreadable without"
                + " it; a real deployment uses kms.provider: aws-kms.", path);
    }
}
