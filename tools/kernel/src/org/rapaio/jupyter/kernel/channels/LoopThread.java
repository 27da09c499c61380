/*
 * Derived from org.rapaio.jupyter.kernel.channels.LoopThread in rapaio-jupyter-kernel 3.0.1
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
 *   1. Start-up race: the original set `running = true` only AFTER Thread.start(). When the new thread reached
 *      `while (running)` first, the loop exited at once and the channel (shell, control or heartbeat) was dead
 *      for good: the kernel never answered kernel_info and Jupyter waited forever. `running` is now set before the
 *      thread starts.
 *   2. An exception thrown by one loop iteration (e.g. a message that arrives before the handlers exist, or a bad
 *      message) ended the thread just as silently. It is now logged and the loop goes on.
 */
package org.rapaio.jupyter.kernel.channels;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Thread which runs in loop the loop body after each waiting period.
 */
public final class LoopThread extends Thread {

    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());

    private volatile boolean running = false;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                if (!running) {
                    return; // socket closed under us during shutdown
                }
                LOGGER.log(Level.SEVERE, getName() + ": loop iteration failed, continuing", e);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        // must be visible before the new thread evaluates `while (running)` (Thread.start() is a happens-before edge)
        running = true;
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
