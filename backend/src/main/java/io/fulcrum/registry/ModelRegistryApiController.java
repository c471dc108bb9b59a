package io.fulcrum.registry;

import io.fulcrum.system.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@RequestMapping(path = "/api/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
        name = "Model registry",
        description = "Named models, versions registered from SUCCEEDED runs, and movable aliases with their history")
class ModelRegistryApiController {

    private final ModelRegistry registry;

    ModelRegistryApiController(ModelRegistry registry) {
        this.registry = registry;
    }

    @GetMapping
    @Operation(summary = "List models, sorted by name, each with its latest version and its aliases")
    PageResponse<RegisteredModelView> list(
            @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        return registry.list(page, size);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create a model without versions",
            description = "Answers 400 with every broken rule, 409 when the name is taken (regardless of case)."
                    + " Registering a version creates its model too.")
    ResponseEntity<RegisteredModelView> create(@RequestBody RegisteredModelRequest request) {
        RegisteredModelView created = registry.create(request);
        return ResponseEntity.created(location("/api/models/{name}", created.name()))
                .body(created);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Get a model with its latest version and its aliases")
    RegisteredModelView get(@PathVariable String name) {
        return registry.get(name);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary = "Delete a model with all its versions, their artifacts and its alias history",
            description = "Answers 409 while any alias points into the model")
    void delete(@PathVariable String name) {
        registry.delete(name);
    }

    @PostMapping(path = "/{name}/versions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Register a SUCCEEDED run as the model's next version",
            description = "Creates the model if there is none of that name yet. The run's model artifact is copied,"
                    + " so retrying or changing the run cannot change the version. Answers 400 naming runId for a run"
                    + " that is unknown, not SUCCEEDED or without a model artifact, and 409 when the run already is"
                    + " a version of this model.")
    ResponseEntity<ModelVersionView> register(@PathVariable String name, @RequestBody VersionRequest request) {
        ModelVersionView registered = registry.register(name, request, null);
        return ResponseEntity.created(
                        location("/api/models/{name}/versions/{version}", registered.model(), registered.version()))
                .body(registered);
    }

    @GetMapping("/{name}/versions")
    @Operation(summary = "List a model's versions, newest first")
    PageResponse<ModelVersionSummary> versions(
            @PathVariable String name,
            @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        return registry.versions(name, page, size);
    }

    @GetMapping("/{name}/versions/{version}")
    @Operation(
            summary = "Get a version: metrics snapshot, lineage, spec and the aliases pointing at it",
            description = "version is a number, an alias (champion) or latest")
    ModelVersionView version(@PathVariable String name, @PathVariable String version) {
        return registry.resolve(name, version);
    }

    @GetMapping(path = "/{name}/versions/{version}/artifact", produces = "application/zip")
    @Operation(
            summary = "Download a version's model directory as a zip",
            description = "spec.json, preprocessing.json, checkpoint.json and parameters.bin, as"
                    + " io.fulcrum.mtl.Checkpoint.load reads them; version is a number, an alias or latest")
    @ApiResponse(
            responseCode = "200",
            content = @Content(mediaType = "application/zip", schema = @Schema(type = "string", format = "binary")))
    ResponseEntity<StreamingResponseBody> artifact(@PathVariable String name, @PathVariable String version) {
        ModelVersionView resolved = registry.resolve(name, version);
        String model = resolved.model();
        int number = resolved.version();
        StreamingResponseBody body = out -> {
            try (InputStream in = registry.openArtifact(model, number)) {
                in.transferTo(out);
            }
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .contentLength(resolved.artifact().size())
                .eTag('"' + resolved.artifact().sha256() + '"')
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(model + "-v" + number + ".zip")
                                .build()
                                .toString())
                .body(body);
    }

    @GetMapping("/{name}/aliases")
    @Operation(summary = "Where each alias of the model points now, sorted by alias")
    List<AliasView> aliases(@PathVariable String name) {
        return registry.aliases(name);
    }

    @PutMapping(path = "/{name}/aliases/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Point an alias at a version, creating the alias if needed; the move is recorded",
            description = "Aliases are 1 to 40 lowercase letters, digits and '-', not a number; latest is reserved."
                    + " Pointing an alias where it already points records nothing.")
    AliasView moveAlias(@PathVariable String name, @PathVariable String alias, @RequestBody AliasRequest request) {
        return registry.moveAlias(name, alias, request, null);
    }

    @DeleteMapping("/{name}/aliases/{alias}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove an alias, recorded as a move to no version")
    void removeAlias(
            @PathVariable String name,
            @PathVariable String alias,
            @Parameter(description = "Why, at most 500 characters") @RequestParam(required = false) String reason) {
        registry.removeAlias(name, alias, reason, null);
    }

    @GetMapping("/{name}/aliases/{alias}/history")
    @Operation(summary = "Every move of an alias, newest first: who, when, from, to and why")
    List<AliasMoveView> history(@PathVariable String name, @PathVariable String alias) {
        return registry.history(name, alias);
    }

    private static URI location(String template, Object... values) {
        return UriComponentsBuilder.fromPath(template)
                .buildAndExpand(values)
                .encode()
                .toUri();
    }
}
