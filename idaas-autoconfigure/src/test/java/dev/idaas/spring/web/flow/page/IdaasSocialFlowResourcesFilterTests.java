package dev.idaas.spring.web.flow.page;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests for {@link IdaasSocialFlowResourcesFilter}.
 */
class IdaasSocialFlowResourcesFilterTests {

	private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Fallback())
		.addFilters(new IdaasSocialFlowResourcesFilter())
		.build();

	@ParameterizedTest
	@CsvSource({ "/idaas/assets/slider.js, slider.js, text/javascript;charset=UTF-8",
			"/idaas/assets/slider.css, slider.css, text/css;charset=UTF-8",
			"/idaas/assets/page.css, page.css, text/css;charset=UTF-8" })
	void getWhenAssetThenServedFromTheJarWithEtag(String path, String file, String contentType) throws Exception {
		byte[] expected;
		try (InputStream in = getClass().getResourceAsStream("/dev/idaas/spring/web/flow/page/" + file)) {
			expected = in.readAllBytes();
		}
		MvcResult result = this.mvc.perform(get(path))
			.andExpect(status().isOk())
			.andExpect(content().contentType(contentType))
			.andExpect(content().bytes(expected))
			.andExpect(header().string("Cache-Control", "no-cache"))
			.andReturn();
		String etag = result.getResponse().getHeader("ETag");
		assertThat(etag).matches("\"[0-9a-f]{32}\"");
		this.mvc.perform(get(path).header("If-None-Match", etag))
			.andExpect(status().isNotModified())
			.andExpect(content().bytes(new byte[0]));
		this.mvc.perform(get("/app" + path).contextPath("/app")).andExpect(status().isOk())
			.andExpect(content().bytes(expected));
	}

	@Test
	void requestWhenNotAnAssetThenPassedOn() throws Exception {
		this.mvc.perform(get("/idaas/assets/other.js")).andExpect(status().isOk()).andExpect(content().string("app"));
		this.mvc.perform(get("/idaas/assets/slider.js/x")).andExpect(status().isNotFound());
		this.mvc.perform(post("/idaas/assets/slider.js")).andExpect(status().isOk()).andExpect(content().string("app post"));
	}

	@Test
	void sliderScriptWhenReadThenNoEvalNoMarkupInjection() throws Exception {
		String script;
		try (InputStream in = getClass().getResourceAsStream("/dev/idaas/spring/web/flow/page/slider.js")) {
			script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		// CSP-friendly and no HTML built from strings: the puzzle comes from the network
		assertThat(script).doesNotContain("eval(")
			.doesNotContain("new Function")
			.doesNotContain("innerHTML")
			.doesNotContain("setAttribute('style'")
			.doesNotContain("document.write")
			.contains("pointerdown")
			.contains("setPointerCapture")
			.contains("captcha_x");
	}

	@RestController
	static class Fallback {

		@GetMapping("/idaas/assets/other.js")
		String other() {
			return "app";
		}

		@org.springframework.web.bind.annotation.PostMapping("/idaas/assets/slider.js")
		String post() {
			return "app post";
		}

	}

}
