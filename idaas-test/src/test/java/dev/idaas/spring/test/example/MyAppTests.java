package dev.idaas.spring.test.example;

import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.web.WithIdaasUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static dev.idaas.spring.test.web.IdaasMockMvcRequestPostProcessors.idaasUser;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
class MyAppTests {

    @RegisterExtension
    static IdaasSimulatorExtension idaas = new IdaasSimulatorExtension();

    @DynamicPropertySource
    static void idaasProperties(DynamicPropertyRegistry registry) {
        idaas.simulator().registerProperties(registry); // idaas.base-url, idaas.client-id
    }

    @Autowired
    MockMvc mvc;

    @Test
    void meWhenSignedInThenOk() throws Exception {
        mvc.perform(get("/api/me").with(idaasUser().subject("alice").authorities("ROLE_ADMIN")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.sub").value("alice"))
            .andExpect(jsonPath("$.authorities[1]").value("ROLE_ADMIN"));
    }

    @Test
    @WithIdaasUser(subject = "bob", name = "Bob Builder")
    void homeWhenAnnotatedThenSignedIn() throws Exception {
        mvc.perform(get("/"))
            .andExpect(status().isOk())
            .andExpect(content().string("Hello Bob Builder"));
    }

    @Test
    void homeWhenNotSignedInThenRedirectedToLogin() throws Exception {
        mvc.perform(get("/"))
            .andExpect(status().isFound())
            .andExpect(redirectedUrl("/login"));
    }

}
