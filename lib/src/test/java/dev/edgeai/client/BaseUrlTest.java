package dev.edgeai.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BaseUrlTest {

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:5273,            http://127.0.0.1:5273/v1",
            "http://127.0.0.1:5273/,           http://127.0.0.1:5273/v1",
            "http://localhost:11434/v1,        http://localhost:11434/v1",
            "http://localhost:11434/v1//,      http://localhost:11434/v1",
            "localhost:8000,                   http://localhost:8000/v1",
            "https://api.example.com/v1/chat/completions, https://api.example.com/v1",
            "http://h:1/v1/models,             http://h:1/v1",
    })
    void normalises_to_a_base_ending_in_v1(String given, String expected) {
        assertEquals(expected, OpenAiClient.normaliseBaseUrl(given));
    }

    @ParameterizedTest
    @CsvSource({"1, 1000", "0, 0", "2.5, 2500", "3600, 30000", "'Wed, 21 Oct 2015 07:28:00 GMT', 0"})
    void reads_retry_after_as_seconds_or_date_and_caps_it(String header, long expectedMs) {
        assertEquals(Duration.ofMillis(expectedMs), OpenAiClient.retryAfter(header));
    }
}
