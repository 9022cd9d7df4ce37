package dev.idaas.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The demo web app: Sign in with Apple through IDaaS, with the simulator embedded when no
 * tenant is configured.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@SpringBootApplication
public class DemoApplication {

	/**
	 * Starts the demo.
	 * @param args command-line arguments, e.g. {@code --idaas.base-url=...}
	 */
	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
