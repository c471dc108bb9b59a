package io.fulcrum.system;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns every error of the REST API into an RFC 7807 problem detail. Input errors carry an
 * {@code errors} array of {@code {field, rule, message}} so that a client can point at the exact
 * field and rule it broke.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalidInput(InvalidInputException e, HttpServletRequest request) {
        return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_INPUT, "Invalid input", e.violations(), request);
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e, HttpServletRequest request) {
        ProblemDetail problem =
                problem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Conflict", e.violations(), request);
        problem.setDetail(e.getMessage());
        return problem;
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setType(ProblemTypes.NOT_FOUND);
        problem.setTitle("Not found");
        problem.setInstance(URI.create(request.getRequestURI()));
        return problem;
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException e, HttpServletRequest request) {
        return tooLarge(e, request.getRequestURI());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail parameterTypeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() == null
                ? "another type"
                : e.getRequiredType().getSimpleName().toLowerCase();
        FieldViolation violation = new FieldViolation(e.getName(), "type", "must be a valid " + expected);
        return problem(
                HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_INPUT, "Invalid input", List.of(violation), request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        FieldViolation violation = new FieldViolation(e.getParameterName(), "required", "must be given");
        return body(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_INPUT, "Invalid input", List.of(violation), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyTooLargeException tooLarge = BodyTooLargeException.in(e);
        if (tooLarge != null) {
            // the parser met the body's cap and wrapped what the stream threw
            ResponseEntity<ProblemDetail> response =
                    tooLarge(tooLarge, request.getDescription(false).replaceFirst("^uri=", ""));
            return ResponseEntity.status(response.getStatusCode())
                    .headers(response.getHeaders())
                    .body(response.getBody());
        }
        FieldViolation violation = unreadableBodyViolation(e);
        return body(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.MALFORMED_REQUEST,
                "Malformed request body",
                List.of(violation),
                request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String supported = e.getSupportedMediaTypes().isEmpty()
                ? "a supported media type"
                : e.getSupportedMediaTypes().get(0).toString();
        String given = e.getContentType() == null ? "none" : e.getContentType().toString();
        FieldViolation violation = new FieldViolation(
                HttpHeaders.CONTENT_TYPE, "supported-media-type", "must be " + supported + ", was " + given);
        ResponseEntity<Object> response = body(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                List.of(violation),
                request);
        return ResponseEntity.status(response.getStatusCode())
                .header(HttpHeaders.ACCEPT, supported)
                .body(response.getBody());
    }

    private static ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e, String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
        problem.setType(ProblemTypes.BODY_TOO_LARGE);
        problem.setTitle(BodyTooLargeException.TITLE);
        problem.setInstance(URI.create(path));
        e.properties().forEach(problem::setProperty);
        // the rest of the body stays unread: close the connection rather than drain it
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .header(HttpHeaders.CONNECTION, "close")
                .body(problem);
    }

    private static FieldViolation unreadableBodyViolation(HttpMessageNotReadableException e) {
        Throwable cause = innermostJacksonException(e);
        if (cause instanceof StreamReadException syntax) {
            return new FieldViolation("$", "malformed-json", syntaxMessage(syntax));
        }
        if (cause instanceof JacksonException jackson) {
            String path = jsonPath(jackson.getPath());
            if (path.isEmpty()) {
                return new FieldViolation("$", "malformed-json", firstLine(jackson.getOriginalMessage()));
            }
            return new FieldViolation(path, "type", mismatchMessage(jackson));
        }
        return new FieldViolation("$", "malformed-json", "request body is missing or not readable JSON");
    }

    /**
     * The innermost Jackson exception knows the field: below it may be the value parser's own
     * exception (a date that is no date), which knows nothing of the JSON.
     */
    private static Throwable innermostJacksonException(HttpMessageNotReadableException e) {
        Throwable found = e.getMostSpecificCause();
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JacksonException) {
                found = t;
            }
        }
        return found;
    }

    /** Jackson's own text, without the source excerpt it appends, plus where the parser stopped. */
    private static String syntaxMessage(StreamReadException syntax) {
        String message = firstLine(syntax.getOriginalMessage());
        int excerpt = message.indexOf(" (start marker at");
        if (excerpt >= 0) {
            message = message.substring(0, excerpt);
        }
        TokenStreamLocation location = syntax.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return message;
    }

    private static String mismatchMessage(JacksonException jackson) {
        if (jackson instanceof MismatchedInputException mismatch) {
            return expectedType(mismatch.getTargetType());
        }
        return firstLine(jackson.getOriginalMessage());
    }

    private static String expectedType(Class<?> target) {
        if (target == null) {
            return "has the wrong type";
        }
        if (Number.class.isAssignableFrom(target) || (target.isPrimitive() && target != boolean.class)) {
            return "must be a number";
        }
        if (target == String.class) {
            return "must be a string";
        }
        if (java.util.Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "must be a list";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "must be true or false";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(target)) {
            return "must be a date and time like 2030-01-31T00:00:00Z";
        }
        return "must be an object";
    }

    /** Renders Jackson's reference chain as the client wrote it: {@code tasks[1].initialWeight}. */
    static String jsonPath(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "is not valid JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static ProblemDetail problem(
            HttpStatus status, URI type, String title, List<FieldViolation> violations, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setType(type);
        problem.setTitle(title);
        problem.setInstance(URI.create(request.getRequestURI()));
        if (!violations.isEmpty()) {
            problem.setDetail(InvalidInputException.summarize(violations));
            problem.setProperty("errors", new ArrayList<>(violations));
        }
        return problem;
    }

    private static ResponseEntity<Object> body(
            HttpStatus status, URI type, String title, List<FieldViolation> violations, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setType(type);
        problem.setTitle(title);
        problem.setDetail(InvalidInputException.summarize(violations));
        problem.setProperty("errors", new ArrayList<>(violations));
        String path = request.getDescription(false).replaceFirst("^uri=", "");
        problem.setInstance(URI.create(path));
        return ResponseEntity.status(status).body(problem);
    }
}
