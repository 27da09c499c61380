package dev.edgeai.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link ScriptedServer} answers for one model: what it says, how fast, and which failure it stages.
 *
 * @param tokens       the answer, one string per streamed chunk; null means the default answer derived from the prompt
 * @param tokenCount   when &gt; 0, the default answer is cut or repeated to exactly this many tokens
 * @param reasoning    chunks sent as {@code delta.reasoning_content} before the answer (gpt-oss style)
 * @param ttft         delay from receiving the request to the first token
 * @param itl          delay between successive tokens
 * @param sendUsage    whether the stream ends with a usage chunk (Foundry Local sends none)
 * @param failFirst    statuses answered, in order, to the first requests before the script runs normally
 * @param retryAfter   Retry-After header value sent with a 429 from failFirst (null: none)
 * @param fault        a failure staged on every request after failFirst is used up
 * @param faultAfter   for MALFORMED_SSE and TRUNCATE: how many good token chunks come first
 * @param apiKey       when non-null, requests without {@code Authorization: Bearer <apiKey>} get 401
 * @param failHeaders  extra headers sent with every failFirst answer (e.g. {@code retry-after-ms})
 * @param failMessage  the error message of failFirst answers (null: "scripted failure STATUS")
 * @param headerDelay  delay before the response headers are sent (a server that is slow to answer at all)
 * @param hugeLineBytes for HUGE_LINE: how many bytes the unterminated data line has
 * @param replies      prompt-dependent answers, tried in order before {@code tokens}: the first whose key occurs in
 *                     the last user message answers (evaluation tests give each question its own reply)
 */
public record Script(
        List<String> tokens,
        int tokenCount,
        List<String> reasoning,
        Duration ttft,
        Duration itl,
        boolean sendUsage,
        List<Integer> failFirst,
        String retryAfter,
        Fault fault,
        int faultAfter,
        String apiKey,
        java.util.Map<String, String> failHeaders,
        String failMessage,
        Duration headerDelay,
        int hugeLineBytes,
        List<Reply> replies) {

    /** Answer {@code tokens} when the last user message contains {@code whenPromptContains}. */
    public record Reply(String whenPromptContains, List<String> tokens) {
        public Reply {
            Objects.requireNonNull(whenPromptContains, "whenPromptContains");
            tokens = List.copyOf(tokens);
        }
    }

    public enum Fault {
        NONE,
        /** A data line that is not JSON in the middle of the stream. */
        MALFORMED_SSE,
        /** Stream cut after faultAfter chunks: no finish_reason, no [DONE]. */
        TRUNCATE,
        /** 200 with an HTML page, as a captive portal or misconfigured proxy would answer. */
        HTML,
        /** After faultAfter chunks, an OpenAI-style {@code {"error":{...}}} event, as vLLM and Ollama send when generation fails. */
        ERROR_EVENT,
        /** Answers a streaming request with one JSON completion, as servers without streaming support do. */
        IGNORE_STREAM,
        /** After faultAfter chunks, sends nothing more but keeps the connection open (a hung backend). */
        STALL,
        /** After faultAfter chunks, one data line of hugeLineBytes with no line break, then a stall. */
        HUGE_LINE,
        /** After faultAfter chunks, the whole server goes away: listener closed, open connections cut (kill -9). */
        DIE
    }

    public Script {
        tokens = tokens == null ? null : List.copyOf(tokens);
        reasoning = reasoning == null ? List.of() : List.copyOf(reasoning);
        failFirst = failFirst == null ? List.of() : List.copyOf(failFirst);
        ttft = Objects.requireNonNullElse(ttft, Duration.ZERO);
        itl = Objects.requireNonNullElse(itl, Duration.ZERO);
        fault = Objects.requireNonNullElse(fault, Fault.NONE);
        failHeaders = failHeaders == null ? java.util.Map.of() : java.util.Map.copyOf(failHeaders);
        headerDelay = Objects.requireNonNullElse(headerDelay, Duration.ZERO);
        if (hugeLineBytes <= 0) hugeLineBytes = 10 << 20;
        replies = replies == null ? List.of() : List.copyOf(replies);
    }

    /** Instant answers with usage, no faults. */
    public static Script defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.tokens = tokens;
        b.tokenCount = tokenCount;
        b.reasoning = reasoning;
        b.ttft = ttft;
        b.itl = itl;
        b.sendUsage = sendUsage;
        b.failFirst = failFirst;
        b.retryAfter = retryAfter;
        b.fault = fault;
        b.faultAfter = faultAfter;
        b.apiKey = apiKey;
        b.failHeaders = failHeaders;
        b.failMessage = failMessage;
        b.headerDelay = headerDelay;
        b.hugeLineBytes = hugeLineBytes;
        b.replies.addAll(replies);
        return b;
    }

    public static final class Builder {
        private List<String> tokens;
        private int tokenCount;
        private List<String> reasoning = List.of();
        private Duration ttft = Duration.ZERO;
        private Duration itl = Duration.ZERO;
        private boolean sendUsage = true;
        private List<Integer> failFirst = List.of();
        private String retryAfter;
        private Fault fault = Fault.NONE;
        private int faultAfter;
        private String apiKey;
        private java.util.Map<String, String> failHeaders = java.util.Map.of();
        private String failMessage;
        private Duration headerDelay = Duration.ZERO;
        private int hugeLineBytes;
        private final java.util.ArrayList<Reply> replies = new java.util.ArrayList<>();

        private Builder() {}

        public Builder tokens(List<String> t) {
            tokens = t;
            return this;
        }

        public Builder tokens(String... t) {
            tokens = List.of(t);
            return this;
        }

        public Builder tokenCount(int n) {
            tokenCount = n;
            return this;
        }

        public Builder reasoning(String... r) {
            reasoning = List.of(r);
            return this;
        }

        public Builder ttft(Duration d) {
            ttft = d;
            return this;
        }

        public Builder ttftMs(long ms) {
            ttft = Duration.ofMillis(ms);
            return this;
        }

        public Builder itl(Duration d) {
            itl = d;
            return this;
        }

        public Builder itlMs(long ms) {
            itl = Duration.ofMillis(ms);
            return this;
        }

        public Builder sendUsage(boolean b) {
            sendUsage = b;
            return this;
        }

        public Builder failFirst(Integer... statuses) {
            failFirst = List.of(statuses);
            return this;
        }

        public Builder retryAfter(String value) {
            retryAfter = value;
            return this;
        }

        public Builder fault(Fault f) {
            fault = f;
            return this;
        }

        public Builder fault(Fault f, int after) {
            fault = f;
            faultAfter = after;
            return this;
        }

        public Builder apiKey(String key) {
            apiKey = key;
            return this;
        }

        public Builder failHeader(String name, String value) {
            var m = new java.util.LinkedHashMap<>(failHeaders);
            m.put(name, value);
            failHeaders = m;
            return this;
        }

        public Builder failMessage(String message) {
            failMessage = message;
            return this;
        }

        public Builder headerDelayMs(long ms) {
            headerDelay = Duration.ofMillis(ms);
            return this;
        }

        public Builder hugeLineBytes(int n) {
            hugeLineBytes = n;
            return this;
        }

        /** Answers {@code text} (split into word pieces) when the last user message contains {@code whenPromptContains}. */
        public Builder reply(String whenPromptContains, String text) {
            replies.add(new Reply(whenPromptContains, ScriptedServer.words(text)));
            return this;
        }

        public Script build() {
            return new Script(
                    tokens,
                    tokenCount,
                    reasoning,
                    ttft,
                    itl,
                    sendUsage,
                    failFirst,
                    retryAfter,
                    fault,
                    faultAfter,
                    apiKey,
                    failHeaders,
                    failMessage,
                    headerDelay,
                    hugeLineBytes,
                    replies);
        }
    }
}
