package io.fulcrum.security.internal;

import io.fulcrum.security.UserAccount;
import io.fulcrum.security.UserAccounts;
import io.fulcrum.system.Actors;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/users", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Users", description = "Dashboard users and their roles (ADMIN only)")
public class UserApiController {

    private final UserAccounts users;

    UserApiController(UserAccounts users) {
        this.users = users;
    }

    @GetMapping
    @Operation(summary = "List users by name")
    public List<UserAccount> list() {
        return users.list();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get one user")
    public UserAccount get(@PathVariable long id) {
        return users.get(id);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create a user",
            description = "The user must change the password at the first sign-in. 400 naming username, password or"
                    + " role; 409 when the name is taken (ignoring case)")
    public ResponseEntity<UserAccount> create(@RequestBody CreateUserRequest request) {
        UserAccount created = users.create(request.username(), request.password(), request.role(), true);
        return ResponseEntity.created(URI.create("/api/users/" + created.id())).body(created);
    }

    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Change a user's role or enable/disable them",
            description = "A change ends the user's sessions and their tokens are checked afresh at once. 409 when"
                    + " an admin would demote or disable themselves")
    public UserAccount update(@PathVariable long id, @RequestBody UpdateUserRequest request) {
        if (request.role() == null && request.enabled() == null) {
            throw new InvalidInputException(
                    List.of(new FieldViolation("role", "required", "give role, enabled or both")));
        }
        return users.update(id, request.role(), request.enabled(), Actors.current());
    }

    @PostMapping(path = "/{id}/password", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Reset a user's password",
            description = "The user must change it at the next sign-in; their sessions end")
    public UserAccount resetPassword(@PathVariable long id, @RequestBody ResetPasswordRequest request) {
        return users.resetPassword(id, request.password());
    }
}
