/**
 * HTTP hygiene shared by the kit's two local servers (serve.java's {@link dev.edgeai.serve.OpenAiServer} with its demo
 * page, and rag_chat's {@link dev.edgeai.web.RagChatApp}), installed as Javalin before-handlers by
 * {@link dev.edgeai.http.LocalGuard}: the Host allow-list that stops DNS rebinding, the Origin and Content-Type checks
 * that stop cross-site requests, CORS for origins the user allows, JSON instead of Jetty's HTML error pages, no
 * exception text in any answer and one log line per refused request ({@link dev.edgeai.http.RequestLog}).
 * {@link dev.edgeai.http.HangupWatch} notices a client that hangs up while a blocking answer is computed.
 */
package dev.edgeai.http;
