package io.fulcrum.faults;

import io.fulcrum.system.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of {@code POST /api/events} as a careful producer writes one: every event has a unique id,
 * and a batch that got no 200 (an error, a broken connection, a timeout) is posted again as it was,
 * until it is stored. The server's idempotency on the event id makes that safe, so after any fault
 * the events stored must be exactly the distinct ids sent. A 4xx is not retried: it would mean the
 * server rejected good events, and is kept for the test to report.
 */
final class EventPoster {

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
    private static final String[] TYPES = {"exposure", "click", "play", "watch_time", "completion", "share"};

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI uri;
    private final String token;
    private final String prefix;
    private final Duration giveUpAfter;
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failedPosts = new AtomicLong();
    private final List<String> rejections = new CopyOnWriteArrayList<>();

    /** @param prefix of every event id this poster makes, so ids of two posters never meet */
    EventPoster(String base, String servingToken, String prefix, Duration giveUpAfter) {
        this.uri = URI.create(base + "/api/events");
        this.token = servingToken;
        this.prefix = prefix;
        this.giveUpAfter = giveUpAfter;
    }

    /**
     * Posts a batch of {@code size} new events, again and again until it answers 200; returns the
     * milliseconds of the post that stored it. {@code requestIds} (may be empty) attribute events to
     * rank requests, as served traffic would.
     */
    double post(int size, List<String> requestIds) {
        byte[] body = batch(size, requestIds);
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        while (true) {
            long t0 = System.nanoTime();
            int status;
            String answer;
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .header("Authorization", ApiClient.bearer(token))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                answer = response.body();
            } catch (IOException e) {
                status = -1;
                answer = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            if (status == 200) {
                Matcher m = ACCEPTED.matcher(answer);
                accepted.addAndGet(m.find() ? Long.parseLong(m.group(1)) : 0);
                stored.addAndGet(size);
                batches.incrementAndGet();
                return millis;
            }
            failedPosts.incrementAndGet();
            if (status >= 400 && status < 500) {
                rejections.add(status + " " + answer);
                throw new AssertionError("POST /api/events answered " + status + ": " + answer);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "a batch was not stored within " + giveUpAfter + "; last answer: " + status + " " + answer);
            }
            Faults.sleep(250);
        }
    }

    private byte[] batch(int size, List<String> requestIds) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long now = Instant.now().getEpochSecond();
        StringBuilder json = new StringBuilder(size * 180).append("{\"events\":[");
        for (int i = 0; i < size; i++) {
            String type = TYPES[random.nextInt(TYPES.length)];
            json.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(prefix)
                    .append(nextId.getAndIncrement())
                    .append("\",\"type\":\"")
                    .append(type)
                    .append("\",\"userId\":\"u")
                    .append(random.nextInt(5_000))
                    .append("\",\"itemId\":\"v")
                    .append(random.nextInt(1_000))
                    .append('"');
            if (!requestIds.isEmpty()) {
                json.append(",\"requestId\":\"")
                        .append(requestIds.get(random.nextInt(requestIds.size())))
                        .append('"');
            }
            if (type.equals("watch_time")) {
                json.append(",\"value\":").append(random.nextInt(1200) / 10.0);
            } else if (type.equals("completion")) {
                json.append(",\"value\":").append(random.nextInt(101) / 100.0);
            }
            json.append(",\"occurredAt\":\"")
                    .append(Instant.ofEpochSecond(now - random.nextInt(3600)))
                    .append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Distinct event ids sent in batches that were stored. */
    long distinctSent() {
        return stored.get();
    }

    /** The sum of the {@code accepted} counts of the 200 answers. */
    long accepted() {
        return accepted.get();
    }

    long batches() {
        return batches.get();
    }

    /** Posts that got no 200 and were sent again. */
    long failedPosts() {
        return failedPosts.get();
    }

    List<String> rejections() {
        return rejections;
    }
}
