/**
 * The workshop's web pages: the RAG chat app ({@link dev.edgeai.web.RagChatApp}) and the browser demo mounted on
 * serve.java ({@link dev.edgeai.web.DemoPage}, with the model files it may hand to the page,
 * {@link dev.edgeai.web.PageModels}, and ONNX Runtime Web from a local cache, {@link dev.edgeai.web.OrtWebAssets}).
 * Both answer no web page but their own (see {@link dev.edgeai.http.LocalGuard}).
 */
package dev.edgeai.web;
