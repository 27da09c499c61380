package dev.edgeai.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;

/**
 * Streams one response of the Responses API over an {@link SseWriter}, event by event as {@link ResponseEvent}
 * lists them, numbering them. The opening events go out with the first text (or {@link #begin()}); until then an
 * error can still be an HTTP status. A text delta, the one event per token, is built straight into the writer's
 * buffer around the escaped text, like {@link ChunkStream}'s chunks (the tests hold it to the JSON of {@link
 * ResponseEvent.TextDelta}, byte for byte); the other events are records written with Jackson. One stream per
 * instance, on one thread at a time.
 */
public final class ResponseStream {
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    private static final String DELTA = "response.output_text.delta";
    private static final String DELTA_HEAD = "{\"type\":\"" + DELTA + "\",\"sequence_number\":";

    private final SseWriter sse;
    /** From after the sequence number to the opening quote of the delta text. */
    private final String deltaMiddle;

    private final ResponseObject created;
    private final String itemId;
    private final StringBuilder text = new StringBuilder();
    private int sequence;
    private boolean begun;

    /** @param created the response as {@link Responses#inProgress} makes it; @param itemId the output message's id */
    public ResponseStream(SseWriter sse, ResponseObject created, String itemId) {
        this.sse = sse;
        this.created = created;
        this.itemId = itemId;
        StringBuilder m = new StringBuilder(",\"item_id\":\"");
        ESCAPE.quoteAsString(itemId, m);
        this.deltaMiddle = m.append("\",\"output_index\":0,\"content_index\":0,\"delta\":\"")
                .toString();
    }

    /** Sends the opening events if they were not sent yet. */
    public boolean begin() {
        synchronized (sse) {
            if (!begun) appendOpening();
            return sse.flush();
        }
    }

    public boolean delta(String piece) {
        synchronized (sse) {
            if (!begun) appendOpening();
            text.append(piece);
            StringBuilder data =
                    sse.beginData(DELTA).append(DELTA_HEAD).append(sequence++).append(deltaMiddle);
            ESCAPE.quoteAsString(piece, data);
            data.append("\",\"logprobs\":[]}");
            sse.endEvent();
            return sse.flush();
        }
    }

    /** The closing events and {@code response.completed} (or {@code response.incomplete}) with {@code done}. */
    public boolean finish(ResponseObject done) {
        synchronized (sse) {
            if (!begun) appendOpening();
            String all = done.outputText();
            var part = ResponseObject.OutputText.of(all);
            append(new ResponseEvent.TextDone("response.output_text.done", sequence++, itemId, 0, 0, all, List.of()));
            append(new ResponseEvent.ContentPart("response.content_part.done", sequence++, itemId, 0, 0, part));
            append(new ResponseEvent.OutputItem(
                    "response.output_item.done", sequence++, 0, done.output().getFirst()));
            String type = done.status().equals("incomplete") ? "response.incomplete" : "response.completed";
            append(new ResponseEvent.Lifecycle(type, sequence++, done));
            return sse.flush();
        }
    }

    /** A failure after the start: an {@code error} event, then {@code response.failed} with {@code failed}. */
    public boolean error(String code, String message, String param, ResponseObject failed) {
        synchronized (sse) {
            append(new ResponseEvent.Error("error", sequence++, code, message, param));
            append(new ResponseEvent.Lifecycle("response.failed", sequence++, failed));
            return sse.flush();
        }
    }

    /** Whether the opening events went out (the HTTP status is then committed: errors must go in-band). */
    public boolean begun() {
        return begun;
    }

    public boolean broken() {
        return sse.broken();
    }

    /** The text sent so far. */
    public String text() {
        return text.toString();
    }

    private void appendOpening() {
        append(new ResponseEvent.Lifecycle("response.created", sequence++, created));
        append(new ResponseEvent.Lifecycle("response.in_progress", sequence++, created));
        append(new ResponseEvent.OutputItem(
                "response.output_item.added",
                sequence++,
                0,
                ResponseObject.OutputMessage.of(itemId, "in_progress", List.of())));
        append(new ResponseEvent.ContentPart(
                "response.content_part.added", sequence++, itemId, 0, 0, ResponseObject.OutputText.of("")));
        begun = true;
    }

    private void append(ResponseEvent e) {
        sse.append(e.type(), Wire.toJson(e));
    }
}
