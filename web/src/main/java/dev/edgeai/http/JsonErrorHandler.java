package dev.edgeai.http;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a request it refuses before any handler runs: a malformed request line or header, an
 * ambiguous path, headers or URI too long, an unknown HTTP version) in the app's JSON shape instead of an HTML page,
 * with a short reason and no exception text, logged as one line.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    private final LocalGuard guard;

    JsonErrorHandler(LocalGuard guard) {
        this.guard = guard;
        setShowStacks(false);
        setShowCauses(false);
    }

    /** The same answers for errors inside the servlet context (Javalin's), where Jetty wants its ee10 handler. */
    static final class InContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        private final JsonErrorHandler json;

        InContext(JsonErrorHandler json) {
            this.json = json;
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        protected boolean generateAcceptableResponse(
                Request request,
                Response response,
                Callback callback,
                String contentType,
                List<Charset> charsets,
                int code,
                String message,
                Throwable cause) {
            return json.write(request, response, callback, code, message);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            return json.badMessageError(status, reason, fields);
        }
    }

    @Override
    protected boolean generateAcceptableResponse(
            Request request,
            Response response,
            Callback callback,
            String contentType,
            List<Charset> charsets,
            int code,
            String message,
            Throwable cause) {
        return write(request, response, callback, code, message);
    }

    boolean write(Request request, Response response, Callback callback, int code, String message) {
        String reason = reason(code, message);
        guard.log()
                .refused(
                        code,
                        request.getMethod(),
                        request.getHttpURI() == null
                                ? "-"
                                : request.getHttpURI().getPath(),
                        Request.getRemoteAddr(request),
                        reason);
        response.getHeaders().put(JSON_TYPE);
        response.getHeaders().put(ErrorHandler.ERROR_CACHE_CONTROL);
        response.write(true, ByteBuffer.wrap(guard.json(code, LocalGuard.codeFor(code), reason)), callback);
        return true;
    }

    /** A message Jetty could not even parse into a request: answered from the connection. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String why = reason(status, reason);
        guard.log().refused(status, "-", "-", null, why);
        fields.put(JSON_TYPE);
        fields.put(ErrorHandler.ERROR_CACHE_CONTROL);
        return ByteBuffer.wrap(guard.json(status, LocalGuard.codeFor(status), why));
    }

    /** Our words for the status, plus Jetty's reason when it is a short phrase (never an exception's text). */
    private static String reason(int status, String jetty) {
        String ours = LocalGuard.reasonFor(status);
        if (jetty == null
                || jetty.isBlank()
                || jetty.length() > 80
                || jetty.contains("Exception")
                || jetty.contains("\n")) return ours;
        String j = RequestLog.clip(jetty, 80);
        boolean same = j.equalsIgnoreCase(HttpStatus.getMessage(status)) || j.equalsIgnoreCase("Unsupported Version");
        return same ? ours : ours + ": " + j;
    }
}
