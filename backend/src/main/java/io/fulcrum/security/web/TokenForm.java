package io.fulcrum.security.web;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.format.annotation.DateTimeFormat;

/** The create-token form: a name, a kind (admins only) and the day it expires (empty: the default). */
public class TokenForm {

    private String name;
    private String kind = "PERSONAL";

    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
    private LocalDate expiresOn;

    /** The token stops working when the chosen day begins, in UTC. */
    OffsetDateTime expiresAt() {
        return expiresOn == null ? null : expiresOn.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public LocalDate getExpiresOn() {
        return expiresOn;
    }

    public void setExpiresOn(LocalDate expiresOn) {
        this.expiresOn = expiresOn;
    }
}
