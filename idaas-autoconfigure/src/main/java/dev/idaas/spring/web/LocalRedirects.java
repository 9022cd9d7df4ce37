package dev.idaas.spring.web;

import java.net.URI;
import java.net.URISyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a redirect target stays on this site. Only absolute paths are local:
 * {@code //evil.example}, {@code /\evil.example}, {@code https://evil.example}, encoded
 * variants and control characters are not.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class LocalRedirects {

	private LocalRedirects() {
	}

	/**
	 * Whether the target is an absolute path on this site.
	 * @param target the redirect target
	 * @return {@code true} when it is safe to redirect to
	 */
	public static boolean isLocal(@Nullable String target) {
		if (target == null || target.isEmpty() || target.charAt(0) != '/') {
			return false;
		}
		for (int i = 0; i < target.length(); i++) {
			char c = target.charAt(i);
			if (c < 0x21 || c == 0x7f || c == '\\') {
				return false;
			}
		}
		String lower = target.toLowerCase(java.util.Locale.ROOT);
		if (target.startsWith("//") || lower.startsWith("/%2f") || lower.startsWith("/%5c") || lower.contains("%0d")
				|| lower.contains("%0a") || lower.contains("%00")) {
			return false;
		}
		try {
			URI uri = new URI(target);
			return uri.getScheme() == null && uri.getRawAuthority() == null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

}
