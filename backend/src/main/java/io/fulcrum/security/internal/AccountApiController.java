package io.fulcrum.security.internal;

import io.fulcrum.security.AccountView;
import io.fulcrum.security.ApiTokens;
import io.fulcrum.security.TokenPrincipal;
import io.fulcrum.security.UserAccount;
import io.fulcrum.security.UserAccounts;
import io.fulcrum.security.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/account", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Account", description = "Who the caller is")
public class AccountApiController {

    private final UserAccounts users;
    private final ApiTokens tokens;

    AccountApiController(UserAccounts users, ApiTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @GetMapping
    @Operation(summary = "Who am I: the signed-in user, or the user a personal token acts for")
    public AccountView whoAmI() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Viewer viewer = Viewer.of(authentication);
        boolean mustChange = users.find(viewer.username())
                .map(UserAccount::passwordChangeRequired)
                .orElse(false);
        if (authentication.getCredentials() instanceof TokenPrincipal token) {
            return new AccountView(
                    viewer.username(),
                    viewer.role(),
                    mustChange,
                    token.kind(),
                    tokens.get(token.tokenId()).name());
        }
        return new AccountView(viewer.username(), viewer.role(), mustChange, null, null);
    }
}
