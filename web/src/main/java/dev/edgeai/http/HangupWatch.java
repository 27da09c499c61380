package dev.edgeai.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client that hangs up while a blocking (non-streamed) answer is being computed, so generation can stop at
 * its next token instead of running to the end for nobody. A stream notices by itself (its next write fails); a
 * blocking answer writes nothing until it is done, and Jetty does not read a connection whose request it is still
 * handling, so a departed client would otherwise hold the model's slot until the per-request timeout.
 *
 * <p>How: once the request body has been read, ask the connection's endpoint to call back when it becomes readable.
 * The client sends nothing more while it waits for its answer, so readable means end of stream (it closed) or a
 * failure. Jetty cannot hand a connection with a pending read back to its own parser, so the response says
 * {@code Connection: close}: the client opens a new connection for its next request (microseconds on loopback, next to
 * a generation of seconds). Bytes a client pipelines behind a POST (which RFC 9112 says it should not) are read and
 * dropped; the close tells it they were not answered.
 */
public final class HangupWatch implements AutoCloseable {
    /** A watch that never reports a hang-up (streamed requests notice by themselves). */
    public static final HangupWatch NONE = new HangupWatch(null);

    private final EndPoint endPoint;
    private volatile boolean gone;
    private volatile boolean closed;

    private HangupWatch(EndPoint endPoint) {
        this.endPoint = endPoint;
    }

    /**
     * Starts watching the connection of {@code ctx}; call it after the request body has been read completely and
     * before anything of the response is written. Where the connection cannot be watched (not a socket), the watch
     * never reports a hang-up.
     */
    public static HangupWatch start(Context ctx) {
        EndPoint ep;
        try {
            ep = ServletContextRequest.getServletContextRequest(ctx.req())
                    .getConnectionMetaData()
                    .getConnection()
                    .getEndPoint();
        } catch (RuntimeException e) {
            return NONE;
        }
        HangupWatch w = new HangupWatch(ep);
        if (!w.arm()) return NONE;
        ctx.header("Connection", "close");
        return w;
    }

    /** Whether the client has gone: its connection reached end of stream or failed. */
    public boolean gone() {
        return gone;
    }

    /** Stops reporting: what the connection does after this belongs to the response. */
    @Override
    public void close() {
        closed = true;
    }

    private boolean arm() {
        try {
            return endPoint.tryFillInterested(new Callback() {
                @Override
                public void succeeded() {
                    readable();
                }

                @Override
                public void failed(Throwable x) {
                    if (!closed) gone = true;
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void readable() {
        if (closed) return;
        ByteBuffer scratch = BufferUtil.allocate(4096);
        try {
            int n = endPoint.fill(scratch);
            if (n < 0) {
                gone = true;
                return;
            }
        } catch (IOException e) {
            gone = true;
            return;
        }
        // Nothing (a spurious wake-up) or pipelined bytes, dropped: keep watching.
        if (!closed && !arm()) gone = !endPoint.isOpen();
    }
}
