package dev.edgeai.chat;

/**
 * Token counts for one request. {@code estimated} is true when the backend sent no usage and the numbers were
 * counted or approximated by us: never report a silent zero: a zero would read as "free" in every chart.
 */
public record Usage(int promptTokens, int completionTokens, boolean estimated) {
    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
