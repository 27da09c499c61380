package dev.edgeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatException.Kind;
import dev.edgeai.openai.Wire;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place where transport failures and HTTP answers become a {@link ChatException} with a single line that
 * says what happened and what to do. Scripts print these messages as they are.
 */
final class Failures {
    private static final Pattern MODEL_TROUBLE = Pattern.compile(
            "not found|unknown|does not exist|not loaded|no such|invalid model|not available|try pulling");

    private Failures() {}

    /** Connect-phase failures that a retry may cure (server still starting, port not yet open). */
    static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) return true;
        }
        return false;
    }

    static ChatException transport(IOException e, String url, Duration readTimeout) {
        return transport(e, url, readTimeout, 0);
    }

    static ChatException transport(IOException e, String url, Duration readTimeout, int retries) {
        if (isConnectFailure(e)) {
            String why = hasCause(e, HttpConnectTimeoutException.class) ? "connect timed out" : "connection refused";
            return unreachable(url, why, e);
        }
        if (hasCause(e, UnknownHostException.class) || hasCause(e, UnresolvedAddressException.class)) {
            return unreachable(url, "unknown host", e);
        }
        if (e instanceof HttpTimeoutException) return timeout(url, readTimeout, e);
        return new ChatException(
                Kind.UNREACHABLE,
                "cannot talk to " + url + " (" + oneLine(String.valueOf(e.getMessage()), 120)
                        + "). Is the endpoint an OpenAI-compatible server? Check --endpoint URL",
                e);
    }

    static ChatException unreachable(String url, String why, Throwable cause) {
        return new ChatException(
                Kind.UNREACHABLE,
                "cannot reach " + url + " (" + why + "). Is a local model server running? "
                        + "Start one with `foundry model run phi-4-mini` or `ollama serve`, or pass --endpoint URL",
                cause);
    }

    static ChatException timeout(String url, Duration readTimeout, Throwable cause) {
        return new ChatException(
                Kind.TIMEOUT,
                url + " sent nothing for " + human(readTimeout)
                        + " (read timeout); the model may still be loading or is stuck: retry, or raise the timeout",
                cause);
    }

    /** An HTTP status that is not 2xx, after any retries were spent. model is null for /models. */
    static ChatException status(String url, int status, String body, String model, int retries) {
        JsonNode json = Wire.tryParse(body);
        String serverMsg = json != null ? Wire.errorMessage(json) : null;
        if (serverMsg == null) serverMsg = oneLine(body, 200);
        String said = serverMsg.isEmpty() ? "" : ": " + oneLine(serverMsg, 200);
        if (status == 401 || status == 403) {
            return new ChatException(
                    Kind.AUTH,
                    url + " rejected the API key (HTTP " + status + "): set OPENAI_API_KEY"
                            + " to a key this server accepts" + said);
        }
        if (model != null && (status == 404 || mentionsModelTrouble(serverMsg, model))) {
            return new ChatException(
                    Kind.UNKNOWN_MODEL,
                    "model '" + model + "' is not available at " + url + " (HTTP " + status + said
                            + "). See the ids it serves at " + url + "/models, or load it: `foundry model run " + model
                            + "` / `ollama pull " + model + "`");
        }
        String after = retries > 0 ? " after " + retries + (retries == 1 ? " retry" : " retries") : "";
        if (status == 408) {
            return new ChatException(Kind.TIMEOUT, url + " gave up waiting (HTTP 408)" + after + said);
        }
        if (status == 429) {
            return new ChatException(
                    Kind.RATE_LIMITED,
                    url + " is rate limiting (HTTP 429)" + after + said
                            + "; wait a moment or send fewer requests at once");
        }
        if (status >= 500) {
            return new ChatException(Kind.SERVER, url + " failed with HTTP " + status + after + said);
        }
        if (status == 404) {
            return new ChatException(
                    Kind.BAD_RESPONSE,
                    url + " has no such path (HTTP 404)" + said
                            + "; is it an OpenAI-compatible endpoint ending in /v1?");
        }
        return new ChatException(Kind.INVALID_INPUT, url + " rejected the request (HTTP " + status + ")" + said);
    }

    private static boolean mentionsModelTrouble(String msg, String model) {
        if (msg == null) return false;
        String m = msg.toLowerCase(Locale.ROOT);
        return m.contains(model.toLowerCase(Locale.ROOT))
                && MODEL_TROUBLE.matcher(m).find();
    }

    static ChatException notJson(String url, String body) {
        String what = body == null || body.isBlank() ? "(an empty body)" : oneLine(body, 80);
        return new ChatException(
                Kind.BAD_RESPONSE, url + " answered with something that is not JSON (HTML? a proxy?): " + what);
    }

    static ChatException malformedEvent(String url, String data, Throwable cause) {
        return new ChatException(
                Kind.BAD_RESPONSE, url + " sent a malformed stream event: " + oneLine(data, 120), cause);
    }

    static ChatException streamError(String url, String serverMsg) {
        return new ChatException(Kind.SERVER, url + " reported an error mid-stream: " + oneLine(serverMsg, 200));
    }

    static ChatException endedEarly(String url, int chunks) {
        return new ChatException(
                Kind.BAD_RESPONSE,
                url + ": stream ended early after " + chunks
                        + " chunks (no [DONE] and no finish_reason); the server may have crashed or run out of memory");
    }

    static ChatException broken(String url, int chunks, IOException e) {
        return new ChatException(
                Kind.BAD_RESPONSE,
                "connection to " + url + " broke after " + chunks + " chunks ("
                        + oneLine(String.valueOf(e.getMessage()), 120) + ")",
                e);
    }

    static ChatException tooLarge(String url, int chunks, IOException e) {
        return new ChatException(
                Kind.BAD_RESPONSE,
                url + " sent " + e.getMessage() + " after " + chunks
                        + " chunks: not an OpenAI-style stream (is --endpoint pointing at the right server?)",
                e);
    }

    static ChatException interrupted(String url) {
        return new ChatException(Kind.CANCELLED, "request to " + url + " was interrupted");
    }

    static String oneLine(String s, int max) {
        if (s == null) return "";
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max) + "...";
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }
}
