package dev.idaas.spring.autoconfigure;

import java.io.Serial;

import org.springframework.util.Assert;

/**
 * Thrown at startup when an {@code idaas.*} property is missing or malformed, so the
 * application fails before its first login rather than at it.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasConfigurationFailureAnalyzer
 */
public class IdaasConfigurationException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String property;

	private final String action;

	/**
	 * Creates the exception.
	 * @param property the offending property, e.g. {@code idaas.base-url}
	 * @param description what is wrong
	 * @param action how to fix it
	 */
	public IdaasConfigurationException(String property, String description, String action) {
		super(description);
		Assert.hasText(property, "property cannot be empty");
		Assert.hasText(action, "action cannot be empty");
		this.property = property;
		this.action = action;
	}

	/**
	 * The offending property.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * How to fix it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
