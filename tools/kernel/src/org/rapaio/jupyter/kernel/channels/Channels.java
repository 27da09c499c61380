/*
 * Derived from org.rapaio.jupyter.kernel.channels.Channels in rapaio-jupyter-kernel 3.0.1
 * (https://github.com/padreati/rapaio-jupyter-kernel), which is:
 *
 *   The MIT License (MIT)
 *   Copyright 2023-2026 Aurelian Tutuianu
 *
 *   Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
 *   documentation files (the "Software"), to deal in the Software without restriction, including without limitation
 *   the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
 *   to permit persons to whom the Software is furnished to do so, subject to the following conditions:
 *
 *   The above copyright notice and this permission notice shall be included in all copies or substantial portions
 *   of the Software.
 *
 *   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
 *   THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 *   AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
 *   CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
 *   DEALINGS IN THE SOFTWARE.
 *
 * Modified for the edgeai workshop (tools/install-kernel.sh puts the compiled class in front of the kernel jar on the
 * classpath, so this class replaces the original):
 *   - Start-up race: the original bound the sockets and started the channel threads first and only then created the
 *     message-handler map (a plain, non-volatile field). A kernel_info_request arriving in between hit a null map
 *     (NullPointerException, which also killed the shell thread) or an unpublished one. connect() now builds the
 *     handlers first, publishes them through a volatile field, and only then binds.
 *   - After a shutdown_request the process exits (see joinUntilClose()) instead of lingering until Jupyter kills it.
 *   - The import of ZMQ points at the package the published (shaded) jar relocates org.zeromq to.
 * Everything else is unchanged from 3.0.1.
 */
package org.rapaio.jupyter.kernel.channels;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Stack;

import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageId;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ErrorReply;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import org.rapaio.jupyter.kernel.message.messages.IOPubStream;
import org.rapaio.org.zeromq.ZMQ; // the kernel jar shades org.zeromq to this package

@SuppressWarnings( {"unchecked", "rawtypes"})
public final class Channels {

    private final ConnectionProperties connProps;

    private final ZMQ.Context ctx;

    private final HeartbeatChannel heartbeat;
    private final ShellChannel shell;
    private final ControlChannel control;
    private final StdinChannel stdin;
    private final IOPubChannel iopub;

    private final Set<AbstractChannel> channels;
    private final Stack<Runnable> afterActions = new Stack<>();

    private volatile Map<MessageType<?>, MessageHandler> handlers = Map.of();
    private MessageId<?> msgId;

    private boolean isConnected = false;
    private boolean requestShutdown = false;

    public Channels(ConnectionProperties connProps) throws NoSuchAlgorithmException, InvalidKeyException {
        this.connProps = connProps;
        ctx = ZMQ.context(1);

        HMACDigest hmacDigest = connProps.createHMACDigest();

        heartbeat = new HeartbeatChannel(this, ctx, hmacDigest);
        shell = new ShellChannel(this, ctx, hmacDigest, this);
        control = new ControlChannel(this, ctx, hmacDigest);
        stdin = new StdinChannel(this, ctx, hmacDigest);
        iopub = new IOPubChannel(this, ctx, hmacDigest);

        channels = Set.of(heartbeat, shell, control, stdin, iopub);
    }

    public void connect(RapaioKernel kernel) {
        if (!isConnected) {
            // edgeai fix: the handlers (and the kernel's reference to this object) exist BEFORE the sockets are bound
            // and the channel threads start, so the first request (kernel_info) can never find them missing.
            kernel.registerChannels(this);

            Map<MessageType<?>, MessageHandler> map = new HashMap<>();
            map.put(MessageType.SHELL_EXECUTE_REQUEST, kernel::handleExecuteRequest);
            map.put(MessageType.SHELL_INSPECT_REQUEST, kernel::handleInspectRequest);
            map.put(MessageType.SHELL_COMPLETE_REQUEST, kernel::handleCompleteRequest);
            map.put(MessageType.SHELL_HISTORY_REQUEST, kernel::handleHistoryRequest);
            map.put(MessageType.SHELL_IS_COMPLETE_REQUEST, kernel::handleIsCompleteRequest);
            map.put(MessageType.SHELL_KERNEL_INFO_REQUEST, kernel::handleKernelInfoRequest);
            map.put(MessageType.CONTROL_SHUTDOWN_REQUEST, kernel::handleShutdownRequest);
            map.put(MessageType.CONTROL_INTERRUPT_REQUEST, kernel::handleInterruptRequest);
            map.put(MessageType.CUSTOM_COMM_OPEN, kernel::handleCommOpenCommand);
            map.put(MessageType.CUSTOM_COMM_MSG, kernel::handleCommMsgCommand);
            map.put(MessageType.CUSTOM_COMM_CLOSE, kernel::handleCommCloseCommand);
            map.put(MessageType.SHELL_COMM_INFO_REQUEST, kernel::handleCommInfoRequest);
            handlers = Map.copyOf(map); // immutable, published through a volatile field

            channels.forEach(s -> s.bind(connProps));
            iopub.sendMessage(new Message<>(MessageType.IOPUB_STATUS, IOPubStatus.STARTING));

            isConnected = true;
        }
    }

    public <T> MessageHandler<T> getHandler(MessageType<T> type) {
        return handlers.get(type);
    }

    public void close() {
        channels.forEach(AbstractChannel::close);
        ctx.close();
    }

    public void joinUntilClose() {
        channels.forEach(AbstractChannel::joinUntilClose);
        if (requestShutdown) {
            // edgeai fix: after a shutdown_request the channels are closed and MainApp.main() returns, but an idle
            // non-daemon JShell engine thread ("Engine-thread-0") kept the JVM alive until Jupyter killed it
            // (5 s later by default, on every notebook run and kernel restart). The kernel is done: exit now.
            System.exit(0);
        }
    }

    public boolean hasMsgId() {
        return msgId != null;
    }

    public void setMsgId(MessageId<?> msgId) {
        this.msgId = msgId;
    }

    public void freeMsgId() {
        this.msgId = null;
    }

    public void markForShutdown() {
        requestShutdown = true;
    }

    public boolean isMarkedForShutdown() {
        return requestShutdown;
    }

    public void writeToStdOut(String msg) {
        publish(new IOPubStream(IOPubStream.StreamName.OUT, msg));
    }

    public void writeToStdErr(String msg) {
        publish(new IOPubStream(IOPubStream.StreamName.ERR, msg));
    }

    public String readFromStdIn() {
        return stdin.getInput(msgId, "", false);
    }

    public <T extends ContentType<T>> void publish(T content) {
        iopub.sendMessage(new Message<>(msgId, content.type(), content));
    }

    public <T extends ContentType<T>> void reply(T content) {
        shell.sendMessage(new Message<>(msgId, content.type(), content));
    }

    public void replyError(MessageType<?> type, ErrorReply error) {
        shell.sendMessage(new Message(msgId, type, error));
    }

    public void scheduleAfter(Runnable action) {
        afterActions.push(action);
    }

    public void runAfterActions() {
        while (!afterActions.isEmpty()) {
            afterActions.pop().run();
        }
    }

    public void busyThenIdle() {
        publish(IOPubStatus.BUSY);
        scheduleAfter(() -> publish(IOPubStatus.IDLE));
    }
}
