package dev.edgeai.chat;

/** A model a backend can serve: its id as the backend names it, and who owns it when known. */
public record ModelInfo(String id, String ownedBy) {}
