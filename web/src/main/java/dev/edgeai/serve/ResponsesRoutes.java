package dev.edgeai.serve;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.http.HangupWatch;
import dev.edgeai.openai.InvalidRequest;
import dev.edgeai.openai.ResponseRequest;
import dev.edgeai.openai.ResponseStream;
import dev.edgeai.openai.Responses;
import dev.edgeai.openai.SseWriter;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /v1/responses}: OpenAI's Responses API for text, which the Vercel AI SDK's default {@code openai(id)}
 * provider, Codex-style agents and OpenAI's newest examples call. Requests share the chat route's queues, timeout,
 * hang-up handling and request records ({@link OpenAiServer#serve}); only the wire differs ({@link Responses},
 * {@link ResponseStream}). Finished conversations are kept in memory for {@code previous_response_id}, the last
 * {@value #STORED} of them, until the server stops.
 */
final class ResponsesRoutes {
    /** Conversations kept for previous_response_id; the oldest is forgotten first. */
    static final int STORED = 256;

    private final OpenAiServer server;

    /** A stored conversation: everything but the instructions, ending with the answer. */
    private final Map<String, List<ChatMessage>> stored = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<ChatMessage>> eldest) {
            return size() > STORED;
        }
    };

    ResponsesRoutes(OpenAiServer server) {
        this.server = server;
    }

    void create(Context ctx) {
        long t0 = System.nanoTime();
        String id = "resp_" + hex();
        ResponseRequest req;
        List<ChatMessage> previous;
        ChatRequest chat;
        try {
            try {
                req = ResponseRequest.parse(server.readJson(ctx));
            } catch (InvalidRequest e) {
                throw ApiError.from(e);
            }
            previous = previous(req.previousResponseId());
            // The model's defaults and the server's max-tokens cap apply here as on chat completions.
            chat = server.generated(Responses.fromRequest(req, previous).toBuilder()
                    .model(server.resolve(req.model()))
                    .build());
        } catch (ApiError e) {
            server.refused(id, e, t0);
            throw e;
        }
        ResponseRequest r = req;
        List<ChatMessage> before = previous;
        long created = System.currentTimeMillis() / 1000;
        String itemId = "msg_" + hex();
        server.serve(ctx, id, chat, r.streaming(), t0, (deadline, firstToken, hangup) -> {
            ChatResult result = r.streaming()
                    ? streamed(ctx, id, created, itemId, chat, r, deadline, firstToken)
                    : blocking(ctx, id, created, itemId, chat, r, deadline, hangup);
            if (r.stored()
                    && result != null
                    && (result.finishReason() == FinishReason.STOP || result.finishReason() == FinishReason.LENGTH))
                store(id, Responses.conversation(r, before, result.text()));
            return result;
        });
    }

    private List<ChatMessage> previous(String responseId) {
        if (responseId == null) return List.of();
        List<ChatMessage> found;
        synchronized (stored) {
            found = stored.get(responseId);
        }
        if (found == null)
            throw new ApiError(
                    400,
                    "invalid_request_error",
                    "previous_response_id",
                    "previous_response_not_found",
                    "Previous response with id '" + responseId + "' not found. This server keeps the last " + STORED
                            + " responses in memory until it stops, and none sent with store=false.",
                    null);
        return found;
    }

    private void store(String id, List<ChatMessage> conversation) {
        synchronized (stored) {
            stored.put(id, conversation);
        }
    }

    private ChatResult blocking(
            Context ctx,
            String id,
            long created,
            String itemId,
            ChatRequest chat,
            ResponseRequest r,
            long deadline,
            HangupWatch hangup) {
        if (hangup.gone()) return null;
        ChatResult result;
        try {
            result = server.backend.stream(chat, new StreamListener() {
                @Override
                public boolean isCancelled() {
                    return server.closing || System.nanoTime() > deadline || hangup.gone();
                }
            });
        } catch (ChatException e) {
            if (hangup.gone()) return null;
            throw ApiError.from(e);
        }
        if (result.finishReason() == FinishReason.CANCELLED) {
            if (hangup.gone()) return result;
            throw server.cancelledBy();
        }
        if (result.finishReason() == FinishReason.ERROR) throw OpenAiServer.backendFailed();
        ctx.json(Responses.done(id, created, itemId, r, result));
        return result;
    }

    private ChatResult streamed(
            Context ctx,
            String id,
            long created,
            String itemId,
            ChatRequest chat,
            ResponseRequest r,
            long deadline,
            long[] firstToken) {
        ResponseStream out;
        try {
            ctx.res().setStatus(200);
            ctx.res().setContentType("text/event-stream;charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            out = new ResponseStream(
                    new SseWriter(ctx.res().getOutputStream()),
                    Responses.inProgress(id, created, chat.model(), r),
                    itemId);
        } catch (IOException e) {
            throw ApiError.unavailable("client_gone", "the client went away before the answer started");
        }
        StreamListener listener = new StreamListener() {
            @Override
            public void onToken(String text) {
                if (firstToken[0] == 0) firstToken[0] = System.nanoTime();
                out.delta(text);
            }

            @Override
            public boolean isCancelled() {
                return out.broken() || server.closing || System.nanoTime() > deadline;
            }
        };
        try {
            ChatResult result = server.backend.stream(chat, listener);
            if (result.finishReason() == FinishReason.CANCELLED) {
                if (!out.broken()) fail(ctx, out, id, created, chat, r, server.cancelledBy());
                return result;
            }
            if (result.finishReason() == FinishReason.ERROR) {
                fail(ctx, out, id, created, chat, r, OpenAiServer.backendFailed());
                return result;
            }
            out.finish(Responses.done(id, created, itemId, r, result));
            return result;
        } catch (ChatException e) {
            fail(ctx, out, id, created, chat, r, ApiError.from(e));
            return null;
        } catch (RuntimeException e) {
            server.guard.log().failed(500, "POST", ctx.path(), ctx.ip(), e);
            fail(
                    ctx,
                    out,
                    id,
                    created,
                    chat,
                    r,
                    new ApiError(
                            500,
                            "server_error",
                            null,
                            "internal_error",
                            "internal error in serve.java while generating (its console has the details)",
                            null));
            return null;
        }
    }

    /** Before the first event the error is an HTTP status; after it, an error event and response.failed. */
    private void fail(
            Context ctx, ResponseStream out, String id, long created, ChatRequest chat, ResponseRequest r, ApiError e) {
        if (!out.begun()) throw e;
        out.error(
                e.code,
                e.getMessage(),
                e.param,
                Responses.failed(id, created, chat.model(), r, e.code, e.getMessage()));
        server.guard.log().refused(e.status, "POST", ctx.path(), ctx.ip(), "in-band error: " + e.getMessage());
    }

    private static String hex() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
