package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.EventRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

@RestController
@Tag(name = "Events", description = "User events (exposures, clicks, plays, watch time, ...) for A/B experiments")
public class EventApiController {

    private final EventIngestion ingestion;
    private final int maxBatch;
    private final Clock clock = Clock.systemUTC();

    EventApiController(EventIngestion ingestion, @Value("${fulcrum.events.max-batch:10000}") int maxBatch) {
        this.ingestion = ingestion;
        this.maxBatch = maxBatch;
    }

    @PostMapping(
            path = "/api/events",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Ingest a batch of user events, idempotently on each event's id",
            description = "Every event is validated first: if any breaks a rule the answer is one 400 naming every"
                    + " events[i].field and rule, and nothing is stored. A valid batch is stored in one transaction;"
                    + " events whose id was stored before (or earlier in the batch) count as duplicates. A retried"
                    + " or concurrently repeated batch therefore stores each event once.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = EventBatchRequest.class))))
    public EventBatchResult post(HttpServletRequest request) throws IOException {
        List<EventRecord> events;
        try {
            events = new EventBatchReader(maxBatch, Instant.now(clock)).read(request.getInputStream());
        } catch (EventBatchReader.EmptyBody e) {
            throw new HttpMessageNotReadableException("the request has no body", new ServletServerHttpRequest(request));
        } catch (JacksonException e) {
            // Answered like any unreadable body: 400 malformed-json with where the parser stopped.
            throw new HttpMessageNotReadableException(
                    "the body is not valid JSON", e, new ServletServerHttpRequest(request));
        }
        EventIngestion.Result r = ingestion.ingest(events);
        return new EventBatchResult(r.received(), r.accepted(), r.duplicates());
    }

    @Schema(name = "EventBatchResult")
    public record EventBatchResult(
            @Schema(description = "Events in the batch, duplicates included")
            int received,

            @Schema(description = "Events stored by this post")
            int accepted,

            @Schema(description = "Events whose id was stored before or appears earlier in the batch")
            int duplicates) {}
}
