package io.fulcrum.rollout.internal;

import io.fulcrum.system.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@RequestMapping(path = "/api/surfaces", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Surfaces", description = "Places that ask for rankings, each served by a registered model")
public class SurfaceApiController {

    private final Surfaces surfaces;

    SurfaceApiController(Surfaces surfaces) {
        this.surfaces = surfaces;
    }

    @GetMapping
    @Operation(summary = "List surfaces, sorted by name")
    public PageResponse<SurfaceView> list(
            @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        return surfaces.list(page, size);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create a surface",
            description = "modelName must be a registered model; the scoring's exponents must name tasks of its"
                    + " champion (else its newest) version. 400 names every broken rule, 409 when the name is taken.")
    public ResponseEntity<SurfaceView> create(@RequestBody SurfaceRequest request) {
        SurfaceView created = surfaces.create(request);
        return ResponseEntity.created(UriComponentsBuilder.fromPath("/api/surfaces/{name}")
                        .buildAndExpand(created.name())
                        .encode()
                        .toUri())
                .body(created);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Get a surface")
    public SurfaceView get(@PathVariable String name) {
        return surfaces.get(name);
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Change a surface's model, scoring and description",
            description = "The name cannot change. Serving follows at once, without a restart.")
    public SurfaceView update(@PathVariable String name, @RequestBody SurfaceRequest request) {
        return surfaces.update(name, request);
    }
}
