package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Token counts as OpenAI sends them; boxed because some servers leave counts out (Foundry Local sends no usage). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompletionUsage(
        @JsonProperty("prompt_tokens") Integer promptTokens,
        @JsonProperty("completion_tokens") Integer completionTokens,
        @JsonProperty("total_tokens") Integer totalTokens) {}
