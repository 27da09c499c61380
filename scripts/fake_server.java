///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION A scripted OpenAI-compatible server (127.0.0.1) for trying the workshop scripts without a real model.
//JAVA 21+
//DEPS dev.edgeai:edgeai-testkit:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import dev.edgeai.testkit.ScriptedServer;

/**
 * Prints its base URL on the first line, then serves until stopped (Ctrl+C). Its answers are canned text with
 * the delays you ask for — good for seeing how TTFT and TPOT are measured, useless for judging models.
 * Options: --port N (default random), --models a,b, --ttft-ms N, --itl-ms N, --tokens N.
 */
public class fake_server {
    public static void main(String... args) throws Exception {
        ScriptedServer.main(args);
    }
}
