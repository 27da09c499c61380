package dev.edgeai.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders model output as HTML. Model text is untrusted: raw HTML in it is escaped (so {@code <script>} shows as
 * text), link and image URLs are sanitised (no {@code javascript:}), and images are not loaded at all.
 */
public final class Markdown {
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .attributeProviderFactory(ctx -> (node, tag, attrs) -> {
                if ("a".equals(tag)) {
                    attrs.put("rel", "noopener noreferrer nofollow");
                    attrs.put("target", "_blank");
                }
            })
            .nodeRendererFactory(ctx -> new org.commonmark.renderer.NodeRenderer() {
                // An image in model output would make the browser fetch a URL the model chose: show its alt text.
                @Override
                public java.util.Set<Class<? extends org.commonmark.node.Node>> getNodeTypes() {
                    return java.util.Set.of(org.commonmark.node.Image.class);
                }

                @Override
                public void render(org.commonmark.node.Node node) {
                    var img = (org.commonmark.node.Image) node;
                    ctx.getWriter().text("[image: " + img.getDestination() + "]");
                }
            })
            .build();
    /** "[1]" or "[1, 2]" as the grounded system prompt asks the model to cite; digits only, so safe to link. */
    private static final Pattern CITATION = Pattern.compile("\\[(\\d{1,2}(?:\\s*,\\s*\\d{1,2})*)]");

    private Markdown() {}

    public static String toHtml(String markdown) {
        return RENDERER.render(PARSER.parse(markdown == null ? "" : markdown));
    }

    /** Like {@link #toHtml} and turns citation markers [n] (n ≤ maxCitation) into links the page opens in its side panel. */
    public static String toHtmlWithCitations(String markdown, int maxCitation) {
        String html = toHtml(markdown);
        Matcher m = CITATION.matcher(html);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            StringBuilder links = new StringBuilder();
            boolean any = false;
            for (String n : m.group(1).split("\\s*,\\s*")) {
                int k = Integer.parseInt(n);
                if (k >= 1 && k <= maxCitation) {
                    links.append("<a href=\"#cite-")
                            .append(k)
                            .append("\" class=\"cite\" data-n=\"")
                            .append(k)
                            .append("\">[")
                            .append(k)
                            .append("]</a>");
                    any = true;
                } else {
                    links.append('[').append(k).append(']');
                }
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(any ? links.toString() : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
