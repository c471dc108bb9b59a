package io.fulcrum.security.internal;

import io.fulcrum.security.Role;
import io.fulcrum.security.SecurityProperties;
import io.fulcrum.security.UserAccounts;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The first start of a server creates the {@code admin} user, so that someone can sign in and
 * create the others. Its password is {@code FULCRUM_ADMIN_PASSWORD} when set; otherwise a random
 * one is printed to the log this once and must be changed at the first sign-in.
 */
@Component
public class AdminBootstrap implements ApplicationRunner {

    public static final String ADMIN = "admin";
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final UserAccounts users;
    private final SecurityProperties properties;
    private final String role;
    private final SecureRandom random = new SecureRandom();

    AdminBootstrap(UserAccounts users, SecurityProperties properties, @Value("${fulcrum.role:server}") String role) {
        this.users = users;
        this.properties = properties;
        this.role = role;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!"server".equalsIgnoreCase(role.strip()) || users.count() > 0) {
            return;
        }
        boolean given = !properties.adminPassword().isBlank();
        String password = given ? properties.adminPassword() : oneTimePassword();
        try {
            users.create(ADMIN, password, Role.ADMIN.name(), !given);
        } catch (io.fulcrum.system.ConflictException raced) {
            return; // another server created it first
        } catch (io.fulcrum.system.InvalidInputException e) {
            throw new IllegalStateException(
                    "FULCRUM_ADMIN_PASSWORD must be at least " + UserAccounts.MIN_PASSWORD_LENGTH + " characters long");
        }
        if (given) {
            log.info("Created the first user '{}' with the password from FULCRUM_ADMIN_PASSWORD", ADMIN);
        } else {
            log.warn(
                    "Created the first user '{}' with the one-time password {} (shown only now; it must be changed"
                            + " at the first sign-in)",
                    ADMIN,
                    password);
        }
    }

    private String oneTimePassword() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
