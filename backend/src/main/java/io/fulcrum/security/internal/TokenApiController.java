package io.fulcrum.security.internal;

import io.fulcrum.security.ApiTokenView;
import io.fulcrum.security.ApiTokens;
import io.fulcrum.security.IssuedToken;
import io.fulcrum.security.NotAllowedException;
import io.fulcrum.security.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
        name = "API tokens",
        description = "Tokens for scripts (PERSONAL), worker processes (WORKER) and the serving path (SERVING),"
                + " sent as 'Authorization: Bearer <secret>'")
public class TokenApiController {

    private final ApiTokens tokens;

    TokenApiController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping
    @Operation(summary = "List your tokens, newest first (never their secrets)")
    public List<ApiTokenView> list(
            @Parameter(description = "Everyone's tokens instead of yours (ADMIN only; 403 for others)")
                    @RequestParam(defaultValue = "false")
                    boolean all) {
        Viewer viewer = caller();
        if (all && !viewer.canAdmin()) {
            throw new NotAllowedException("only an ADMIN may list everyone's tokens (all=true)");
        }
        return tokens.list(all ? null : viewer.username());
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create a token owned by you",
            description = "Answers 201 with the secret, shown this once: Fulcrum keeps only its hash. 400 naming"
                    + " name, kind (WORKER and SERVING are for an ADMIN) or expiresAt")
    public ResponseEntity<IssuedToken> create(@RequestBody CreateTokenRequest request) {
        Viewer viewer = caller();
        IssuedToken issued =
                tokens.issue(viewer.username(), request.name(), request.kind(), request.expiresAt(), viewer.canAdmin());
        return ResponseEntity.created(URI.create("/api/tokens/" + issued.token().id()))
                .body(issued);
    }

    @DeleteMapping("/{id}")
    @Operation(
            summary = "Revoke a token at once",
            description = "Your own, or anyone's for an ADMIN (404 for someone else's token otherwise). Revoking"
                    + " a revoked token changes nothing")
    public ApiTokenView revoke(@PathVariable long id) {
        Viewer viewer = caller();
        return tokens.revoke(id, viewer.username(), viewer.canAdmin());
    }

    /** The rules let only users and personal tokens (all with a role) reach this controller. */
    private static Viewer caller() {
        return Viewer.of(SecurityContextHolder.getContext().getAuthentication());
    }
}
